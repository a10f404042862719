## Yetkazib beruvchi hisob-fakturalari (rasm va fayllardan): karta, tahrir, tasdiqlash, kiruvchi QQS, /invoices.

cmd-invoices = yetkazib beruvchi hisob-fakturalari boʻyicha xaridlar: roʻyxat, filtrlar, Excel
menu-invoices = 📥 Fakturalar

invoice-reading = 📄 Hisob-faktura oʻqilmoqda… Bir necha soniya oladi; bu orada botdan foydalanishingiz mumkin.
invoice-reading-part = 📄 { $count } ta fayldan { $index }-si oʻqilmoqda…
invoice-read-failed = Faylni oʻqishda xatolik yuz berdi, hech narsa saqlanmadi. Iltimos, uni qayta yuboring.
invoice-file-too-large = Fayl { $limit } MB dan katta — bot Telegramdan shuncha yuklab oladi. Kichikroq fayl yuboring: rasm yoki pastroq sifatdagi PDF. Hech narsa saqlanmadi.
invoice-file-unsupported = Hisob-fakturalarni faqat rasmlardan (JPG, PNG, HEIC, WebP, TIFF) va PDF fayllardan oʻqiyman. Hech narsa saqlanmadi.
invoice-file-corrupt = Fayl buzilgan yoki nomiga mos emas, uni ochib boʻlmadi. Hech narsa saqlanmadi.
invoice-file-encrypted = Bu PDF parol bilan himoyalangan. Uni parolsiz yoki rasmini yuboring. Hech narsa saqlanmadi.
invoice-file-blank = Sahifa boʻsh: unda yozuv topilmadi. Hisob-fakturaning aniq rasmini yuboring. Hech narsa saqlanmadi.
invoice-not-an-invoice = Rasmda hisob-faktura topilmadi (raqam, jami yoki jadval yoʻq). Butun sahifaning aniq, yorugʻ rasmini yuboring. Hech narsa saqlanmadi.
invoice-ocr-unavailable = Hozir serverda hisob-fakturalarni oʻqish imkoni yoʻq (matn tanish oʻrnatilmagan). Hech narsa saqlanmadi.
invoice-download-failed = Faylni Telegramdan yuklab boʻlmadi. Iltimos, qayta yuboring.
invoice-duplicate-file = Aynan shu fayl avval yuborilgan: bu №{ $id } xarid ({ $status ->
    [draft] qoralama tasdiqlanishini kutmoqda
    [pending_approval] tasdiqlashni kutmoqda
   *[other] yozilgan
}). Yangi hech narsa saqlanmadi.
invoice-duplicate-document = Bu hisob-faktura allaqachon №{ $id } xarid sifatida yozilgan (oʻsha STIR, raqam { $number } va sana { $day }). Ikkinchi marta yozilmadi.
invoice-not-found = Kompaniyangizda bunday xarid yoʻq.
invoice-not-draft = Bu hisob-faktura endi qoralama emas, uni tahrirlab boʻlmaydi.
invoice-already-decided = №{ $id } xarid { $status ->
    [confirmed] allaqachon yozilgan
    [pending_approval] allaqachon tasdiqlashni kutmoqda
    [discarded] bekor qilingan
   *[other] endi qoralama emas
}; hech narsa oʻzgarmadi.

invoice-card-title = 🧾 <b>Yetkazib beruvchi hisob-fakturasi</b> · qoralama №{ $id }
invoice-field-supplier = Yetkazib beruvchi
invoice-field-tin = Yetkazib beruvchi STIRi
invoice-field-number = Raqam
invoice-field-date = Sana
invoice-field-net = QQSsiz
invoice-field-vat = QQS
invoice-field-total = Jami
invoice-card-lines = { $count ->
    [0] Qatorlar oʻqilmadi.
   *[other] Qatorlar ({ $count }):
}
invoice-card-more-lines = …yana { $count } ta qator.
invoice-card-duplicate = №{ $id } xaridga oʻxshaydi (oʻsha STIR, raqam va sana): tasdiqlash rad etiladi.
invoice-card-unread-parts = Albomdagi { $count } ta faylni oʻqib boʻlmadi.
invoice-card-check-marked = ⚠️ — qiymat ishonchsiz oʻqilgan: uni qogʻoz bilan solishtiring.
invoice-card-pages = { $count } ta sahifadan oʻqildi.
invoice-card-hint = Qiymatlarni tekshiring, kerak boʻlsa ✏️ Tahrirlash orqali tuzating, soʻng ✅ Tasdiqlash.
invoice-claim-line-paper = Kiruvchi QQS: qogʻoz hujjat boʻyicha (elektron hisob-faktura olingandan keyingina hisobga olinadi).
invoice-claim-line-e_invoice = Kiruvchi QQS: elektron hisob-faktura (EHF) olingan, hisobga olinadi.
invoice-claim-line-none = Hujjatda QQS yoʻq.
invoice-flag-no-tin = Yetkazib beruvchi STIRi topilmadi: uni Tahrirlash orqali qoʻshing (9 ta raqam).
invoice-flag-no-items = Qatorlar oʻqilmadi.
invoice-flag-totals-mismatch = Qatorlar yigʻindisi jamiga toʻgʻri kelmaydi. Jami bosilganidek qoldirildi: tekshiring.
invoice-flag-vat-mismatch = QQSsiz summa va QQS yigʻindisi jamiga teng emas. Raqamlarni tekshiring.
invoice-flag-line-mismatch = Baʼzi qatorlarda miqdor × narx summaga teng emas.
invoice-flag-words-mismatch = Soʻz bilan yozilgan summa raqamdagidan farq qiladi.
invoice-flag-low-quality = Rasm yomon oʻqiladi; qiymatlar notoʻgʻri boʻlishi mumkin.
invoice-flag-too-many-pages = Faylda sahifalar juda koʻp: faqat birinchilari oʻqildi.
invoice-flag-no-total = Jami topilmadi: uni Tahrirlash orqali qoʻshing.
invoice-flag-no-date = Sana topilmadi: uni Tahrirlash orqali qoʻshing.

btn-invoice-confirm = ✅ Tasdiqlash
btn-invoice-edit = ✏️ Tahrirlash
btn-invoice-discard = 🗑 Bekor qilish
btn-invoice-e-invoice = 🧾 EHF olindi
btn-invoice-paper = 📄 Faqat qogʻoz
btn-invoice-back = ⬅️ Orqaga

invoice-edit-which = Qaysi qiymatni tuzatamiz?
invoice-ask-supplier = Yetkazib beruvchi nomini yozing.
invoice-ask-tin = Yetkazib beruvchi STIRini yozing: 9 ta raqam.
invoice-ask-number = Hisob-faktura raqamini yozing.
invoice-ask-date = Hisob-faktura sanasini yozing, masalan 13.02.2025.
invoice-ask-net = QQSsiz summani yozing, masalan 44 952 550.
invoice-ask-vat = QQS summasini yozing (QQS boʻlmasa 0).
invoice-ask-total = QQS bilan jami summani yozing, masalan 50 346 856.
invoice-edit-saved = ✅ Saqlandi.
invoice-edit-type-it = Qiymatni matn bilan yozing yoki /cancel.
invoice-edit-expired = Tahrirlash vaqti tugadi. Kartadagi ✏️ Tahrirlash tugmasini qayta bosing.
invoice-edit-bad-tin = STIR aniq 9 ta raqam va 0 bilan boshlanmaydi, masalan 307500201. Qayta yozing.
invoice-edit-bad-date = Bu sana emas. Masalan 13.02.2025 deb yozing.
invoice-edit-date-out-of-range = Sana { $earliest } va { $today } oraligʻida boʻlishi kerak. Qayta yozing.
invoice-edit-empty = Qiymat boʻsh. Qayta yozing.
invoice-edit-too-long = Juda uzun: koʻpi bilan { $limit } ta belgi.
invoice-confirm-needs-total = Jami yoʻq. Uni ✏️ Tahrirlash orqali qoʻshing va tasdiqlang.
invoice-confirm-needs-date = Sana yoʻq. Uni ✏️ Tahrirlash orqali qoʻshing va tasdiqlang.
invoice-confirm-needs-supplier = Yetkazib beruvchi nomaʼlum. Nomi yoki STIRini ✏️ Tahrirlash orqali qoʻshing va tasdiqlang.
invoice-no-vat-to-claim = Bu xaridda hisobga olinadigan QQS yoʻq.

invoice-recorded = ✅ №{ $id } xarid yozildi: { $total }.
invoice-pending = ⏳ №{ $id } xarid ({ $total }) chegaradan yuqori va tasdiqlashni kutmoqda.
invoice-recorded-supplier = Yetkazib beruvchi: { $name } (STIR { $tin }).
invoice-recorded-supplier-new = Yangi yetkazib beruvchi qoʻshildi: { $name } (STIR { $tin }).
invoice-recorded-lines = Qatorlar: { $count }, REGOS tovarlariga moslandi: { $matched }.
invoice-recorded-unmatched = Moslanmadi: { $names }{ $more ->
    [0] {""}
   *[other] {" "}(+{ $more })
}.
invoice-recorded-vat-paper = Kiruvchi QQS { $vat }: qogʻoz hujjat boʻyicha; EHF olingach soliq hisobotida hisobga olinadi.
invoice-recorded-vat-e_invoice = Kiruvchi QQS { $vat }: EHF olingan, hisobga olinadi.
invoice-recorded-vat-none = Bu xaridda QQS yoʻq.
invoice-sent-for-approval = Tasdiqlashga yuborildi: { $names }.
invoice-discarded = 🗑 №{ $id } qoralama bekor qilindi. Hech narsa yozilmadi.

invoice-approval-title = 🧾 №{ $id } xarid
invoice-fact-supplier = Yetkazib beruvchi
invoice-fact-tin = STIR
invoice-fact-number = Raqam
invoice-fact-date = Sana
invoice-fact-total = Jami
invoice-fact-vat = QQS
invoice-fact-vat-claim = Kiruvchi QQS
invoice-fact-branch = Filial
invoice-claim-paper = qogʻoz hujjat
invoice-claim-e_invoice = EHF
invoice-claim-none = QQSsiz
invoice-status-draft = qoralama
invoice-status-pending_approval = tasdiqlashni kutmoqda
invoice-status-confirmed = yozilgan
invoice-status-discarded = bekor qilingan

invoices-title = 📥 <b>Xaridlar</b> · { $count ->
    [0] yoʻq
   *[other] { $count } ta
}
invoices-none = Bu filtrlar boʻyicha xarid yoʻq. Xaridni yozish uchun yetkazib beruvchi hisob-fakturasining rasmini yuboring.
invoices-totals = Yozilgan: { $total }, QQS { $vat }, shundan EHF boʻyicha { $evat }.
invoices-period-m = Shu oy
invoices-period-lm = Oʻtgan oy
invoices-period-y = Shu yil
invoices-period-a = Butun davr
invoices-any-supplier = Barcha yetkazib beruvchilar
invoices-status-l = Yozilgan va kutayotgan
invoices-status-ok = Yozilgan
invoices-status-p = Tasdiqlashni kutmoqda
invoices-status-x = Bekor qilingan
invoices-export-caption = { $count } ta xarid
invoices-sheet = Xaridlar
invoices-lines-sheet = Qatorlar
invoices-col-date = Sana
invoices-col-id = №
invoices-col-number = Faktura raqami
invoices-col-supplier = Yetkazib beruvchi
invoices-col-tin = STIR
invoices-col-net = QQSsiz
invoices-col-vat = QQS
invoices-col-total = Jami
invoices-col-claim = Kiruvchi QQS
invoices-col-status = Holat
invoices-col-line = Qator
invoices-col-item = Nomi
invoices-col-qty = Miqdor
invoices-col-price = Narx
invoices-col-regos = REGOS tovari
invoices-total-confirmed = Jami yozilgan
btn-invoices-threshold = ⚙️ Tasdiqlash chegarasi: { $amount }
invoices-ask-threshold = Qaysi summadan yuqori xarid tasdiqlashni kutsin? Summani yozing, masalan 50 000 000.
invoices-threshold-saved = ✅ Saqlandi. Summasi shu chegaradan yuqori xaridlar tasdiqlashni kutadi: { $amount }.
