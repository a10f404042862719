## Savdo hisobotlari: /today, /sales, fayllar
cmd-today = bugungi savdo
cmd-sales = davr boʻyicha savdo hisoboti

report-choose-period = 📊 Savdo hisoboti. Davrni tanlang:
report-btn-today = Bugun
report-btn-yesterday = Kecha
report-btn-this-week = Shu hafta
report-btn-last-week = Oʻtgan hafta
report-btn-this-month = Shu oy
report-btn-last-month = Oʻtgan oy
report-btn-custom = 📅 Boshqa sanalar
report-ask-dates =
    Sanalarni yuboring: bir kun (22.11.2026, 2026-11-22, 22-noyabr) yoki davr (1.11-15.11, 2026-11-01 2026-11-15, 1-15 noyabr).
    Toʻxtatish uchun /cancel.
report-choose-branch = Davr: { $period }. Qaysi filiallar?
report-btn-all-branches = Barcha filiallar
report-building = ⏳ { $period } uchun hisobot tayyorlanmoqda…
report-preparing-file = Fayl tayyorlanmoqda…
report-long-range-file = Davr { $days } kun. Bir yildan uzun davrni chatda oʻqib boʻlmaydi, shuning uchun hisobot Excel fayl sifatida yuborildi.
report-no-data =
    <b>{ $company }</b> kompaniyasida hali savdo maʼlumotlari yoʻq.
    REGOS kassalarini /regos orqali ulang: birinchi sinxronlashdan keyin savdolar shu yerda koʻrinadi.
report-no-data-connected =
    REGOS ulangan, lekin <b>{ $company }</b> savdolari hali sinxronlanmagan.
    /sync ni bosing yoki navbatdagi rejali sinxronlashni kuting.
report-error-branch = Bu filial siz uchun ochiq emas.
report-btn-xlsx = 📗 Excel
report-btn-pdf = 📕 PDF
report-btn-csv = 📄 CSV
report-file-caption = 📊 { $company } · { $period } · { $scope }

## Qoʻlda yozilgan sanalar
report-error-date-format = “{ $value }” ni sana sifatida oʻqiy olmadim. Misollar: 22.11.2026, 2026-11-22, 22-noyabr yoki davr 1.11-15.11.
report-error-date-nonexistent = Bunday sana yoʻq: { $value }. Kun va oyni tekshiring.
report-error-range-reversed = Davr ({ $last }) boshlanishidan ({ $first }) oldin tugayapti. Avval erta sanani yozing.
report-error-future = { $value } hali kelmagan. Bugungacha boʻlgan sanani yuboring.
report-error-range-too-long = Davr juda uzun: koʻpi bilan { $days } kun.

## Hisobot xabari
report-title = 📊 <b>Savdo — { $company }</b>
report-period = 🗓 { $period } ({ $timezone }) · { $scope }
report-compared = { $period } bilan solishtirganda
report-scope-all = barcha filiallar
report-scope-none = filiallar yoʻq
report-net = 💰 Sof savdo: <b>{ $amount }</b> { $change }
report-retail = 🛒 Chakana: { $amount } { $change }
report-wholesale = 📦 Ulgurji: { $amount } { $change }
report-returns = ↩️ Qaytarishlar: { $amount } ({ $count }) { $change }
report-receipts = 🧾 Cheklar: { $count } { $change }
report-average = 💳 Oʻrtacha chek: { $amount } { $change }
report-empty-period = Bu davrda savdo boʻlmagan.
report-previous-net = Oldingi davr: { $amount }
report-section-payments = <b>Toʻlov turlari boʻyicha</b>
report-section-branches = <b>Filiallar boʻyicha</b>
report-section-products = <b>Eng koʻp sotilgan mahsulotlar</b>
report-section-sellers = <b>Eng yaxshi sotuvchilar</b>
report-row = { $name }: { $amount } { $change }
report-product-row = { $rank }. { $name } — { $amount } · { $quantity } { $unit } { $change }
report-seller-row = { $rank }. { $name } — { $amount } ({ $receipts } ta chek) { $change }
report-branch-unassigned = filialsiz
report-chart-title = Kunlik sof savdo
report-chart-caption = 📈 Kunlar va filiallar boʻyicha sof savdo, { $period }

## Fayllar
report-export-title = Savdo hisoboti
report-sheet-summary = Jami
report-sheet-days = Kunlar boʻyicha
report-sheet-branches = Filiallar boʻyicha
report-sheet-payments = Toʻlov turlari boʻyicha
report-sheet-products = Top mahsulotlar
report-sheet-sellers = Top sotuvchilar
report-col-figure = Koʻrsatkich
report-col-current = Shu davr
report-col-previous = Oldingi davr
report-col-change = Oʻzgarish
report-col-date = Sana
report-col-total = Jami
report-col-branch = Filial
report-col-payment-type = Toʻlov turi
report-col-sales = Savdo
report-col-refunds = Qaytarilgan
report-col-net = Sof
report-col-rank = №
report-col-product = Mahsulot
report-col-unit = Birlik
report-col-quantity = Miqdor
report-col-amount = Summa
report-col-seller = Sotuvchi
report-col-company = Kompaniya
report-col-period = Davr
report-col-compared = Solishtirilgan davr
report-col-branches = Filiallar
report-col-timezone = Vaqt mintaqasi
report-col-generated = Tayyorlangan
report-figure-net-sales = Sof savdo
report-figure-retail-gross = Chakana savdo
report-figure-retail-returns = Chakana qaytarishlar
report-figure-retail-net = Chakana sof
report-figure-wholesale-gross = Ulgurji savdo
report-figure-wholesale-returns = Ulgurji qaytarishlar
report-figure-wholesale-net = Ulgurji sof
report-figure-receipts = Cheklar
report-figure-return-receipts = Qaytarish cheklari
report-figure-wholesale-docs = Ulgurji hujjatlar
report-figure-wholesale-return-docs = Ulgurji qaytarishlar (hujjatlar)
report-figure-average-receipt = Oʻrtacha chek

# Yuklanmagan kunlar nol emas (11-masala, 1-band).
report-missing-days = ⚠️ Bu davrning { $count } kuni hali yuklanmagan ({ $days }): quyidagi raqamlarda ular yoʻq, oʻzgarishlar koʻrsatilmaydi. Ularni /sync bilan yuklang.
report-missing-days-compared = ⚠️ Solishtirilayotgan davrning { $count } kuni yuklanmagan ({ $days }), shuning uchun oʻzgarishlar koʻrsatilmaydi: ular toʻliq boʻlmagan davr bilan solishtirilgan boʻlardi.

report-empty-imported = Yuklangan { $count } kunda savdo boʻlmagan.
report-btn-import-days = 📥 Yetishmayotgan kunlarni yuklash

## Tasdiqlangan xarajatlar (issue 12)
report-section-expenses = <b>Tasdiqlangan xarajatlar</b>
report-expense-row = { $name }: { $amount } ({ $count } ta)
report-expenses-total = Jami xarajatlar: { $amount } ({ $count } ta)
report-net-after-expenses = 🧮 Xarajatlardan keyingi sof savdo: <b>{ $amount }</b>
report-sheet-expenses = Xarajatlar
report-col-category = Toifa
report-col-count = Soni
report-figure-expenses = Tasdiqlangan xarajatlar
report-figure-net-after-expenses = Xarajatlardan keyingi sof savdo
report-day-missing = yuklanmagan
report-missing-note = Yuklanmagan kunlar: { $days }. Ular nol deb emas, “yuklanmagan” deb belgilangan.
report-chart-gaps = Grafikdagi boʻshliqlar: { $count } kun yuklanmagan ({ $days }).

## /mysales: yuklanmagan kunlar
mysales-today-missing = Bugun: hali yuklanmagan, savdolaringiz keyingi sinxronlashdan keyin chiqadi
mysales-month-missing = ⚠️ Bu oyning { $count } kuni hali yuklanmagan ({ $days }): oy raqamida ular yoʻq.
