## Ish haqi: qaydnoma va hisob-varaqlar (services/payroll/render.py)
payroll-register-title = Ish haqi qaydnomasi
payroll-payslip-title = Hisob-varaq
payroll-month = Oy
payroll-version = { $version }-versiya
payroll-kind-monthly = Ish haqi
payroll-kind-advance = Boʻnak
payroll-status-draft = qoralama
payroll-status-pending_approval = tasdiqlash kutilmoqda
payroll-status-approved = tasdiqlangan
payroll-status-paid = toʻlangan
payroll-total = Jami
payroll-col-name = Xodim
payroll-col-regos-user = REGOS foydalanuvchisi
payroll-col-days = Kunlar
payroll-col-base = Oklad
payroll-col-retail-sales = Chakana savdo
payroll-col-retail-commission = Chakana savdodan foiz
payroll-col-wholesale-sales = Ulgurji savdo
payroll-col-wholesale-commission = Ulgurji savdodan foiz
payroll-col-bonus = Mukofot
payroll-col-deductions = Ushlanmalar
payroll-col-gross = Hisoblangan
payroll-col-pit = JShDS 12%
payroll-col-pit-budget = shundan byudjetga
payroll-col-inps = shundan INPS
payroll-col-advance = Toʻlangan boʻnak
payroll-col-net = Toʻlanadigan
payroll-col-social-tax = Ijtimoiy soliq
payroll-col-employer-cost = Ish beruvchi xarajati
payroll-col-warnings = Ogohlantirishlar
payroll-col-previous-net = Avval toʻlanadigan
payroll-col-difference = Farq
payroll-days-worked = Ishlangan kunlar: { $days } / { $total }
payroll-accrued = Hisoblandi
payroll-withheld = Ushlab qolindi
payroll-to-pay = Toʻlanadi
payroll-plan-bonus = Reja uchun mukofot
payroll-manual-bonus = Mukofot: { $reason }
payroll-manual-penalty = Jarima: { $reason }
payroll-manual-deduction = Ushlanma: { $reason }
payroll-missing-days = REGOSdan yuklanmagan kunlar: { $days }
payroll-days-to-come = Oyning qolgan kunlari: { $count }
payroll-not-connected = REGOS ulanmagan: savdodan foizlarni hisoblab boʻlmaydi.
payroll-warning-no-regos-user = Xodimga REGOS foydalanuvchisi biriktirilmagan: chakana savdodan foiz 0.
payroll-warning-no-regos-user-wholesale = Xodimga REGOS foydalanuvchisi biriktirilmagan: ulgurji savdodan foiz 0.
payroll-warning-plan-unknown = Reja uchun savdo maʼlum emas: reja mukofoti yoʻq.
payroll-warning-negative-sales = Bu oy qaytarishlar savdodan koʻp: chakana savdodan foiz yoʻq.
payroll-warning-below-mrot = Hisoblangan summa ishlangan kunlar uchun eng kam ish haqidan kam ({ $floor }).
payroll-warning-negative-net = Toʻlanadigan summa manfiy: hal qilinmaguncha hech narsa toʻlanmaydi.
payroll-warning-sales-incomplete = Baʼzi kunlar hali yuklanmagan: foiz faqat yuklangan kunlar boʻyicha.
error-payroll = Ish haqi: amal rad etildi.
error-payroll-invalid = { $field }: { $problem }
error-payroll-employee-not-found = Bu kompaniyada bunday xodim yoʻq.
error-payroll-run-not-found = Bu kompaniyada bunday qaydnoma yoʻq.
error-payroll-run-frozen = { $month } qaydnomasi ({ $version }-versiya) allaqachon { $status ->
    [pending_approval] tasdiqlash kutilmoqda
    [approved] tasdiqlangan
    [paid] toʻlangan
   *[draft] qoralama
}: uni oʻzgartirib boʻlmaydi. Tuzatish versiyasini boshlang.
error-payroll-run-state = Qaydnoma holati hozir: { $status ->
    [pending_approval] tasdiqlash kutilmoqda
    [approved] tasdiqlangan
    [paid] toʻlangan
   *[draft] qoralama
}, bu amalni bajarib boʻlmaydi.
error-payroll-open-run = { $month } qaydnomasining ochiq versiyasi bor ({ $version }): avval uni yakunlang.
error-payroll-negative-net = { $count } ta xodimning toʻlanadigan summasi manfiy. Qatorlarni tuzating yoki bilib turib tasdiqlang.
error-payroll-rate-missing = { $day } uchun ish haqi stavkasi ({ $codes }) yoʻq.
error-payroll-month-invalid = Oyni YYYY-MM koʻrinishida yozing, masalan 2026-11.
error-payroll-file-invalid =
    Fayl yuklanmadi: { $count } ta muammo.
    { $problems }

## Payroll in the bot (handlers/payroll.py, services/payroll/approval.py)
cmd-payroll = ish haqi: qoralama, tasdiqlash, hisob varaqalari
cmd-payslips = mening hisob varaqalarim
payroll-pick-month = Qaysi oy uchun ish haqi? Shu oy — { $this }, oʻtgan oy — { $last }; yoki YYYY-MM koʻrinishida yozing.
payroll-btn-this-month = Shu oy
payroll-btn-last-month = Oʻtgan oy
payroll-btn-type-month = Oyni yozish
payroll-type-month = Oyni YYYY-MM koʻrinishida yozing, masalan 2026-11.
payroll-card-head = <b>Ish haqi — { $company } — { $month }</b>
payroll-card-totals =
    { $employees ->
       *[other] { $employees } ta xodim
    }
    Hisoblangan: { $gross }
    JShDS: { $pit }
    Toʻlanadi: { $net }
    Ijtimoiy soliq: { $social }
    Ish beruvchi xarajati: { $cost }
payroll-card-difference = Avval toʻlangan: { $previous }; farq: { $difference }
payroll-card-warnings = <b>Ogohlantirishlar</b>
payroll-card-more = …yana { $count } ta (qaydnomaga qarang).
payroll-card-delivered = Hisob varaqalari: Telegramda — { $telegram }, SMS orqali — { $sms }; yetib boʻlmadi — { $unreachable }.
payroll-btn-register = Qaydnoma (Excel)
payroll-btn-submit = Tasdiqlashga yuborish
payroll-btn-recompute = Qayta hisoblash
payroll-btn-approve = Tasdiqlash
payroll-btn-paid = Toʻlandi
payroll-btn-correct = Tuzatish
payroll-submitted = Tasdiqlashga yuborildi.
payroll-register-caption = Ish haqi qaydnomasi, { $month }, { $version }-versiya
payroll-file-too-big = Fayl juda katta (koʻpi bilan 2 MB).
payroll-imported = Toʻlov sxemalari { $month }dan yuklandi: { $rows } ta qator, { $created } ta yangi xodim, { $updated } ta yangilandi.
payroll-card-title = { $month } ish haqi
payroll-fact-month = Oy
payroll-fact-version = Versiya
payroll-fact-employees = Xodimlar
payroll-sms = { $company }: { $month } ish haqi, toʻlanadi { $net }.
payslips-not-linked = Siz hali bu kompaniya xodimiga bogʻlanmagansiz: egasiga murojaat qiling.
payslips-none = Tasdiqlangan hisob varaqalari hozircha yoʻq.

## Payroll: editing a draft, advances, sync (handlers/payroll_edit.py)
menu-payroll = 💼 Ish haqi
payroll-btn-advance = Shu oy uchun boʻnak
payroll-btn-edit = ✏️ Qatorlarni tahrirlash
payroll-btn-sync = 🔄 Yetishmagan kunlarni yuklash
payroll-btn-back = ⬅️ Orqaga
payroll-btn-prev = ◀️ Oldingi
payroll-btn-next = Keyingi ▶️
payroll-edit-pick = Kimning qatorlari? { $title }, { $version }-versiya (qoralama).
payroll-employee-card =
    <b>{ $name }</b> — { $title }
    Ishlangan kunlar: { $days } / { $total }
    Hisoblangan: { $gross }
    Toʻlanadi: { $net }
payroll-employee-manual = Qoʻlda kiritilgan qatorlar:
payroll-employee-no-manual = Bu oyda qoʻlda kiritilgan qator yoʻq.
payroll-employee-off-run = Bu qaydnomada yoʻq (shu oy uchun toʻlov sxemasi yoʻq).
payroll-btn-days = 📅 Ishlangan kunlar
payroll-btn-add-bonus = ➕ Mukofot
payroll-btn-add-penalty = ➖ Jarima
payroll-btn-add-deduction = ➖ Ushlanma
payroll-btn-add-advance = 💵 Berilgan boʻnak
payroll-btn-remove = ❌ { $line }
payroll-line-bonus = Mukofot
payroll-line-penalty = Jarima
payroll-line-deduction = Ushlanma
payroll-line-advance = Berilgan boʻnak
payroll-manual-advance = Berilgan boʻnak: { $reason }
payroll-ask-days = { $name } { $month } oyida necha kun ishladi? Butun son yuboring (eng koʻpi { $most }).
payroll-ask-amount = { $name } uchun { $line }: summani yuboring, masalan 500 000, 500 ming yoki 1,5 mln.
payroll-ask-reason = { $line }, { $amount }: endi sababini bir necha soʻz bilan yozing.
payroll-line-saved = Saqlandi. Qoralama qayta hisoblandi.
payroll-line-removed = Qator oʻchirildi, qoralama qayta hisoblandi.
payroll-sync-nothing = { $month } oyining bugungacha boʻlgan barcha kunlari allaqachon yuklangan.
payroll-sync-busy = Bu kompaniya uchun yuklash allaqachon ketmoqda; bir daqiqadan keyin urinib koʻring.
error-payroll-days = Ishlangan kunlar soni butun son boʻladi: 0 yoki undan koʻp, eng koʻpi { $most }.
error-payroll-reason = Sababini bir necha soʻz bilan yozing (koʻpi bilan 200 belgi).
error-payroll-step-over = Bu qadam tugagan. /payroll ni qaytadan oching.
