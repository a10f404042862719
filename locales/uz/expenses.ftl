## Odamlar yozadigan summalar (services/amounts)
amount-invalid = Bu summa emas. Raqam yuboring, masalan: 150 000, 150 ming yoki 1,5 mln.
amount-not-positive = Summa noldan katta boʻlishi kerak.
amount-too-large = Bu summa haqiqiy boʻlishi uchun juda katta. Tekshirib, qaytadan yuboring.
amount-too-precise = Summada verguldan keyin koʻpi bilan ikki xona (tiyin) boʻladi.

## /expense
cmd-expense = xarajatni qayd etish
cmd-expenses = xarajatlar: roʻyxat, filtrlar, Excel
expense-ask-amount = 💸 Qancha sarflandi? Summani yuboring, masalan: 150 000, 150 ming yoki 1,5 mln. Toʻxtatish uchun /cancel.
expense-confirm-amount = { $amount } odatdagi { $ceiling } chegarasidan koʻp. Summa toʻgʻrimi?
btn-expense-amount-yes = ✅ Ha, { $amount }
btn-expense-amount-no = ✏️ Qaytadan yozish
expense-ask-category = Summa: <b>{ $amount }</b>. Qaysi toifa?
expense-ask-branch = Qaysi filial uchun?
expense-ask-comment = Izoh qoʻshing (nimaga sarflangani) yoki «Oʻtkazib yuborish»ni bosing.
expense-ask-receipt = Chek suratini (yoki PDF) yuboring yoki «Oʻtkazib yuborish»ni bosing.
btn-skip = Oʻtkazib yuborish ⏭
expense-review =
    <b>Xarajatni tekshiring</b>
    Summa: { $amount }
    Toifa: { $category }
    Filial: { $branch }
    Izoh: { $comment }
    Chek: { $receipt }
expense-receipt-attached = biriktirilgan
expense-receipt-none = yoʻq
expense-no-branch = —
expense-no-comment = —
btn-expense-submit = ✅ Yuborish
expense-auto-approved = ✅ #{ $id } xarajat ({ $amount }) qayd etildi va tasdiqlandi: u { $limit }dan kam, bunday xarajatlar darhol tasdiqlanadi.
expense-sent = 📨 #{ $id } xarajat ({ $amount }) tasdiqlash uchun yuborildi: { $names }. Qaror haqida sizga xabar beriladi.
expense-sent-nobody = #{ $id } xarajat ({ $amount }) tasdiqlanishini kutmoqda, lekin hozir botda uni tasdiqlay oladigan hech kim yoʻq. U /approvals roʻyxatida turibdi.
expense-flow-expired = Bu xarajat juda uzoq vaqt tugallanmay qoldi, hech narsa saqlanmadi. /expense bilan qaytadan boshlang.
expense-category-gone = Bu toifa hozirgina oʻchirildi. Boshqasini tanlang.
expense-branch-needed = Xarajat qaysi filialga tegishli ekanini tanlang.
expense-receipt-not-image = Bu fayl rasm ham, PDF ham emas. Chek suratini yuboring yoki «Oʻtkazib yuborish»ni bosing.
expense-receipt-expected = Chek suratini (yoki PDF) yuboring yoki «Oʻtkazib yuborish»ni bosing.
expense-comment-too-long = Izoh juda uzun: koʻpi bilan { $limit } ta belgi.
expense-not-found = Bunday xarajat yoʻq.

## Kartochka va toifalar
expense-card-title = 🧾 #{ $id } xarajat
expense-fact-amount = Summa
expense-fact-category = Toifa
expense-fact-branch = Filial
expense-fact-day = Kun
expense-fact-comment = Izoh
expense-category-rent = Ijara
expense-category-utilities = Kommunal xizmatlar
expense-category-transport = Transport
expense-category-supplies = Xoʻjalik mollari
expense-category-repair = Taʼmirlash
expense-category-marketing = Reklama
expense-category-other = Boshqa
expense-category-none = Toifasiz
expense-status-pending = ⏳ kutilmoqda
expense-status-approved = ✅ tasdiqlangan
expense-status-rejected = ❌ rad etilgan
expense-status-withdrawn = ↩️ qaytarib olingan

## /expenses
expenses-title = <b>Xarajatlar</b> · { $period } · { $branch } · { $status } · { $category }
expenses-empty = Bu filtrlarga mos xarajat yoʻq.
expenses-totals = { $count } ta xarajat, jami { $amount }.
expenses-page = { $page }-sahifa, jami { $pages } ta
expenses-period-d = bugun
expenses-period-w = shu hafta
expenses-period-m = shu oy
expenses-period-lm = oʻtgan oy
expenses-any-status = har qanday holat
expenses-all-categories = barcha toifalar
expenses-export-caption = Xarajatlar, { $period }
expenses-sheet = Xarajatlar
expenses-col-day = Kun
expenses-col-id = №
expenses-col-branch = Filial
expenses-col-category = Toifa
expenses-col-amount = Summa
expenses-col-status = Holat
expenses-col-by = Kim kiritgan
expenses-col-comment = Izoh
expenses-total-approved = Jami tasdiqlangan
btn-expenses-export = 📥 Excel
btn-expenses-setup = ⚙️ Toifalar va limitlar

## Toifalar va limitlar (kompaniya egasi)
expenses-setup =
    <b>Xarajat sozlamalari</b>
    Darhol tasdiqlash chegarasi (undan kam summalar): { $auto }
    Summani tasdiqlatish chegarasi (undan koʻp summalar): { $ceiling }
    Menejerlar { $manager }gacha tasdiqlaydi; undan kattasini kompaniya egasi hal qiladi.

    Toifalar (oʻchirish uchun toifani bosing):
btn-expense-add-category = ➕ Toifa qoʻshish
btn-expense-limit-auto = Darhol tasdiqlash chegarasi…
btn-expense-limit-ceil = Summani tasdiqlatish chegarasi…
btn-expense-limit-mgr = Menejerlar limiti…
expense-ask-category-name = Yangi toifa nomini yuboring (koʻpi bilan { $limit } ta belgi).
expense-category-added = «{ $name }» toifasi qoʻshildi.
expense-category-removed = Toifa oʻchirildi. Unga yozilgan xarajatlar bu toifani saqlab qoladi.
expense-category-name-invalid = Toifa nomi boʻsh boʻlmasligi, { $limit } belgidan oshmasligi va «/» bilan boshlanmasligi kerak.
expense-category-exists = «{ $name }» toifasi allaqachon bor.
expense-category-too-many = Kompaniyada koʻpi bilan { $limit } ta toifa boʻlishi mumkin. Avval bittasini oʻchiring.
expense-ask-limit-auto = Qancha summadan kam xarajatlar darhol tasdiqlansin? Summani yuboring yoki har bir xarajat soʻralishi uchun 0 yuboring.
expense-ask-limit-ceil = Qancha summadan koʻp boʻlsa, summani tasdiqlash soʻralsin? Summani yuboring.
expense-ask-limit-mgr = Menejerlar oʻz filiallari xarajatlarini qancha summagacha tasdiqlay oladi? Summani yuboring.
expense-limit-saved = Saqlandi.
expense-limit-off = oʻchirilgan, har bir xarajat soʻraladi

## Main menu
menu-expense = 💸 Xarajat
