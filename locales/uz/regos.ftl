## REGOS connection
regos-private-only = Xavfsizlik uchun REGOSʼni faqat men bilan shaxsiy chatda ulang. Xabarni oʻchirib tashladim.
regos-key-deleted-warning = Bu REGOS kalitiga oʻxshardi, shuning uchun xabarni oʻchirdim: kalitlarni hech qachon guruhga yubormang. Agar boshqalar koʻrgan boʻlsa, REGOSʼda yangi kalit yarating.
regos-status-none = REGOS hali ulanmagan.
regos-status =
    REGOS: <b>{ $status }</b>
    Kalit: { $prefix }…
    Filiallar: { $branches }
    Oxirgi muvaffaqiyatli sinxronlash: { $last_sync }
regos-status-ok = ulangan va ishlayapti
regos-status-failing = javob bermayapti; qaytgach, savdolarni yuklab olaman
regos-status-revoked = kalit rad etildi: yangi kalit ulang
regos-never = hali boʻlmagan
regos-ask-key =
    REGOS integratsiya kalitini joylashtiring (32 belgi). U REGOS.Online → Biznes sozlamalari → Integratsiyalar boʻlimida.
    Xabaringizni oʻqishim bilan oʻchiraman va kalitni shifrlangan holda saqlayman.
regos-checking = Kalitni REGOSʼda tekshiryapman…
regos-connected = ✅ REGOS ulandi: { $branches } ta filial topildi. Savdo tarixini qancha muddatga yuklay? Avval bugungi kunni yuklayman, shuning uchun /today bir daqiqada ishlaydi; yuklash paytida botdan foydalanaverishingiz mumkin. Keyin har soatda oʻzim sinxronlayman.
regos-key-rejected = ❌ REGOS bu kalitni rad etdi (kod { $code }). 32 belgining hammasi koʻchirilganini tekshiring yoki REGOSʼda yangi integratsiya kaliti yaratib, qayta joylashtiring.
regos-no-rights = ❌ Kalit ishlaydi, lekin { $method } uchun huquqi yoʻq (kod { $code }). REGOSʼda integratsiyaga savdo, ombor va maʼlumotnomalarga ruxsat bering, soʻng kalitni qayta joylashtiring.
regos-unreachable = ❌ REGOS hozir javob bermayapti. Hech narsa oʻzgarmadi; bir necha daqiqadan soʻng qayta urinib koʻring.
regos-failed = ❌ REGOS xato bilan javob berdi (kod { $code }): { $description }. Hech narsa oʻzgarmadi.
regos-key-format = Bu integratsiya kaliti emas: kalit 32 ta lotin harfi va raqamdan iborat. Kalitni joylashtiring yoki /cancel yuboring.
btn-regos-connect = Yangi kalit ulash
btn-regos-sync = Hozir sinxronlash
btn-regos-branches = Filiallar
regos-branches-title = REGOSʼdagi filiallar. Nomini oʻzgartirish uchun filialni bosing.
regos-branch-ask-name = { $name } uchun yangi nom yuboring:
regos-branch-renamed = Filial nomi oʻzgartirildi: { $name }.

## Sync
sync-started = ⏳ Savdolarni REGOSʼdan yuklayapman…
sync-started-background = ⏳ Savdolarni REGOSʼdan yuklayapman… Shu paytda botdan foydalanaverishingiz mumkin.
sync-progress = ⏳ Savdolarni REGOSʼdan yuklayapman: hozircha { $receipts } ta chek oʻqildi, { $elapsed } soniya.
sync-done = ✅ Sinxronlash { $elapsed } soniyada tugadi.
sync-today = Bugun, { $day }
sync-books = { $scope ->
    [branches] { $day }, sizning filiallaringiz
   *[company] { $day }
}: { $receipts } ta chek, sof savdo — { $net }.
sync-written = REGOSʼdan yozildi: { $inserted } ta yangi va { $updated } ta oʻzgargan hujjat (cheklar, qaytarishlar va ulgurji savdo birga).
sync-written-none = Oxirgi sinxronlashdan beri REGOSʼda yangi narsa yoʻq.
sync-crashed = ❌ Sinxronlash mening tomonimdagi xato tufayli toʻxtadi. Yuklangan maʼlumotlar saqlangan; qayta urinish uchun /sync yuboring.
sync-reconcile-ok = Jami summalar REGOS hisobotiga mos keladi.
sync-reconcile-mismatch = ⚠️ Jami summalar REGOS hisobotidan farq qiladi: { $dates }. Keyingi sinxronlashda yana tekshiraman.
sync-skipped = Maʼlumoti toʻliq boʻlmagan { $count } ta yozuv oʻtkazib yuborildi.
sync-failed = ❌ Sinxronlash toʻxtadi: { $reason }. Yuklangan maʼlumotlar saqlangan; keyingi sinxronlash qolganini yuklaydi.
sync-busy = Bu kompaniya uchun sinxronlash allaqachon ketmoqda. Tugashini kuting.
sync-alert-down = ⚠️ { $company } kompaniyasi uchun REGOS javob bermayapti (muammo boshlangan vaqt: { $since }). U qaytgach, savdolar avtomatik yuklanadi.
sync-alert-recovered = ✅ { $company } kompaniyasi uchun REGOS yana javob beryapti; savdolar dolzarb.
cmd-regos = REGOSʼni ulash
cmd-sync = savdolarni hozir sinxronlash
error-branch-name = Filial nomi boʻsh boʻlmasligi va 128 belgidan oshmasligi kerak. Qayta urinib koʻring.
error-regos-not-connected = REGOS ulanmagan. Ega uni /regos orqali ulashi mumkin.
regos-rate-limited = ❌ REGOS hozir soʻrovlar juda koʻpligini aytmoqda. Hech narsa oʻzgarmadi; bir daqiqadan soʻng urinib koʻring.
regos-key-outside-flow = Bu REGOS kalitiga oʻxshaydi, xavfsizlik uchun xabarni oʻchirdim. REGOSʼni ulash uchun avval /regos yuboring.
regos-webhook-url = Tezkor yangilanishlar uchun ushbu manzilni REGOS → Integratsiyalar → Webhook boʻlimiga qoʻying va cheklarning yopilishi, bekor qilinishi hamda ulgurji savdo hodisalarini belgilang: { $url }
btn-regos-employees = Xodimlar
regos-employees-title = REGOSʼdagi xodimlar. Kompaniya aʼzosiga bogʻlash uchun xodimni bosing (uning savdolari botda unga koʻrinadi).
regos-employee-choose-member = Botda { $name } kim?
btn-employee-unlink = Hech kim
regos-employee-linked = { $name } endi { $member } bilan bogʻlandi.
regos-employee-unlinked = { $name } endi hech kimga bogʻlanmagan.
regos-no-employees = Hozircha xodimlar yoʻq: ular REGOS ulanganda keladi.

## History import (first connect, /sync of a period, missing days)
btn-import-history = { $days ->
    [7] 7 kun
    [30] 30 kun
    [90] 90 kun
   *[other] Bir yil
}
btn-import-missing = 📥 Yetishmayotgan kunlarni yuklash
btn-import-retry = 🔁 Qayta urinish
sync-import-started = ⏳ REGOSʼdan { $total } kunlik maʼlumotni yuklayapman, bugundan boshlab. Yuklash paytida botdan foydalanaverishingiz mumkin.
sync-import-progress = ⏳ REGOSʼdan yuklash: { $done } / { $total } kun tayyor, { $receipts } ta chek oʻqildi; { $eta }.
sync-eta-unknown = qolgan vaqtni hisoblayapman
sync-eta-seconds = taxminan { $seconds } soniya qoldi
sync-eta-minutes = taxminan { $minutes } daqiqa qoldi
sync-import-done = ✅ Yuklash tugadi: { $days } kun, { $elapsed } vaqt ketdi. Shu kunlar uchun hisobda { $receipts } ta chek bor.
sync-import-stopped =
    ⚠️ Yuklash toʻxtadi: { $reason }. { $done } / { $total } kun yuklandi (ular uchun hisobda { $receipts } ta chek); yuklangan maʼlumotlar saqlangan.
    Hali yuklanmagan: { $missing }. Qolganini yuklash uchun «Qayta urinish»ni bosing.
sync-import-reason-down = REGOS javob bermayapti
sync-import-reason-busy = REGOS soʻrovlar juda koʻpligini aytmoqda (shu kalitdan boshqa dastur ham foydalanayotgan boʻlishi mumkin)
sync-import-reason-key = REGOS endi kalitni qabul qilmayapti
sync-import-crashed = ❌ Yuklash mening tomonimdagi xato tufayli toʻxtadi. Yuklangan maʼlumotlar saqlangan; davom ettirish uchun «Qayta urinish»ni bosing.
sync-import-range = { $first } – { $last }
sync-import-nothing = { $first } – { $last } oraligʻidagi barcha kunlar allaqachon yuklangan.
sync-import-running = Bu kompaniya uchun REGOSʼdan yuklash allaqachon ketmoqda. U tugagani haqidagi xabarni kuting.
sync-import-range-too-long = Bir safarda koʻpi bilan { $days } kunni yuklay olaman. Qisqaroq davrni tanlang.
sync-hint-period = Oʻtgan kunlarni yuklash uchun davrni yuboring, masalan: /sync 1.11-15.11
sync-took-seconds = { $seconds } soniya
sync-took-minutes = { $minutes } daqiqa
regos-details =
    Chek tafsilotlari: <b>{ $state }</b>. Nima uchun: har bir chekdagi tovarlar va toʻlovlar, alohida chekni koʻrish uchun; hisobot va xulosalarga ular kerak emas. Narxi: har bir chek uchun REGOSʼga 2 ta soʻrov, fonda, kalit limitining koʻpi bilan { $share }% qismida, shuning uchun savdolarni yuklash sekinlashmaydi.
    Tafsilotli cheklar: { $with_details }, tafsilotsiz: { $without } (savdo va qaytarish cheklari birga).
regos-details-on = yoqilgan
regos-details-off = oʻchirilgan
regos-details-left = ⏳ Tafsilotlar yuklanmoqda: { $eta }.
btn-regos-details-on = Chek tafsilotlarini yoqish
btn-regos-details-off = Chek tafsilotlarini oʻchirish
regos-details-saved-on = Chek tafsilotlari yoqildi
regos-details-saved-off = Chek tafsilotlari oʻchirildi
