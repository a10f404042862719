## Yordamchi: kompaniya maʼlumotlari boʻyicha savollarga javoblar
cmd-ask = biznes haqida savol
ai-period = { $first } – { $last }
ai-sales =
    📊 <b>{ $period }</b>{ $scope }
    Sof savdo: <b>{ $net }</b>
    Chakana: { $retail } · ulgurji: { $wholesale }
    Qaytarishlar: { $returns }
    { $receipts ->
       *[other] { $receipts } ta chek
    }, oʻrtacha chek { $average }
ai-sales-change = Avvalgi davr ({ $previous_period }): { $previous }
ai-payment-row = • { $name }: { $amount }
ai-top-branches = 🏬 <b>Filiallar savdo boʻyicha, { $period }</b>
ai-top-branches-bottom = 🏬 <b>Eng kam sotgan filiallar, { $period }</b>
ai-top-products = 📦 <b>Eng koʻp sotilgan mahsulotlar, { $period }</b>
ai-top-products-bottom = 📦 <b>Eng kam sotilgan mahsulotlar, { $period }</b>
ai-top-sellers = 👤 <b>Sotuvchilar savdo boʻyicha, { $period }</b>
ai-top-sellers-bottom = 👤 <b>Eng kam sotgan sotuvchilar, { $period }</b>
ai-row = { $place }. { $name }: { $amount }
ai-seller = 👤 <b>{ $name }</b>, { $period }: { $net }, { $receipts ->
       *[other] { $receipts } ta chek
    }
ai-product = 📦 <b>{ $name }</b>, { $period }: { $quantity } sotildi, { $amount }
ai-stock = 📦 <b>Qoldiqlar</b>
ai-low-stock = ⚠️ <b>Minimumdan kam</b>
ai-stock-row = • { $name }: { $quantity } { $unit }
ai-low-stock-row = • { $name }: { $quantity } { $unit } (minimum { $minimum })
ai-nothing = Hech narsa topilmadi.
ai-missing = ⚠️ Hali yuklanmagan, hisobga olinmadi: { $days }
ai-cut-at-today = Bugungi kungacha hisoblandi.
ai-future = Hali kelmagan kunlar savdosini bilmayman. Bugun yoki oʻtgan kunlar haqida soʻrang.
ai-secret = Kalitlar, parollar va boshqa maxfiy maʼlumotlarni hech qachon koʻrsatmayman.
ai-not-yet = Bunday savollarga hozircha javob bera olmayman. Bu boʻlimni menyudan oching.
ai-refused = Bu sizning rolingiz uchun emas. Buni faqat { $roles } koʻra oladi.
ai-unknown =
    Savolni tushunmadim. Masalan, quyidagilarga javob bera olaman:
    • kecha qancha savdo boʻldi
    • shu hafta qaysi filial eng kam sotdi
    • shu oy eng koʻp sotilgan 5 ta mahsulot
    • oxirgi 7 kun savdosi
    • qaysi tovarlar kam qoldi
ai-empty = Savol yozing, masalan: kecha savdo.
ai-error-period-order = Davr boshlanishidan oldin tugaydi.
ai-error-future = Bu davr hali kelmagan.
ai-error-period-too-long = Davr juda uzun.
ai-error-unknown-branch = Bu filial sizga ochiq emas.
ai-error-unknown-tool = Buni qila olmayman.
ai-all-branches = barcha filiallar
