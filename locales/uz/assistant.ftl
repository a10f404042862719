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
cmd-forecast = savdo prognozi
cmd-advice = maslahat: buyurtma, sotilmayotgan tovar, kim ortda qolmoqda
cmd-ailog = yordamchi jurnali va baholar
ai-payments = 💳 <b>Toʻlov turlari boʻyicha, { $period }</b>
ai-payments-total = Jami: <b>{ $total }</b>, sof savdo { $net }
ai-expenses = 🧾 <b>Xarajatlar, { $period }</b>: { $count ->
       *[other] { $count } ta tasdiqlangan
    }, { $amount }
ai-expenses-pending = ⏳ Tasdiqlashni kutmoqda: { $count ->
       *[other] { $count } ta xarajat
    }, { $amount }
ai-cash = 💵 <b>Kassalarda hozir: { $total }</b>
ai-payroll = 💼 <b>Ish haqi, { $month }</b> ({ $status }): { $employees ->
       *[other] { $employees } nafar xodim
    }
    Hisoblangan: { $gross } · qoʻlga: <b>{ $net }</b>
    JShDS: { $pit } · ijtimoiy soliq: { $social }
    Komissiyalar: { $commissions }
ai-payroll-status-draft = qoralama
ai-payroll-status-pending-approval = tasdiqlashni kutmoqda
ai-payroll-status-approved = tasdiqlangan
ai-payroll-status-paid = toʻlangan
ai-forecast = 📈 <b>Prognoz, { $target }, { $period }</b>
    Ehtimol <b>{ $low }</b> dan <b>{ $high }</b> gacha (taxminan { $point })
ai-forecast-row = • { $day }: { $low } – { $high }
ai-forecast-method-holt-winters = Haftalik mavsumiylik bilan Holt-Winters, { $days ->
       *[other] { $days } kunlik
    } tarix boʻyicha; oraliq 10 martadan 8 tasida toʻgʻri chiqadi.
ai-forecast-method-holt = Soʻnuvchi trend (haftalik mavsumiylik uchun tarix kam), { $days ->
       *[other] { $days } kunlik
    } tarix boʻyicha; oraliq 10 martadan 8 tasida toʻgʻri chiqadi.
ai-forecast-backtest = Oxirgi hafta boʻyicha sinov xatosi: { $error }%
ai-forecast-filled = { $days ->
       *[other] Yuklanmagan { $days } kun haftaning oʻsha kuni boʻyicha toʻldirildi.
    }
ai-forecast-short = Prognoz uchun tarix kam: { $have ->
       *[other] { $have } kun
    } yuklangan, kamida { $need } kun kerak.
ai-advice = 💡 <b>Maslahatlar</b> (talab oxirgi { $days ->
       *[other] { $days } kun
    } boʻyicha)
ai-advice-reorder = 🛒 <b>Buyurtma berish kerak</b> (yetkazib berish { $days ->
       *[other] { $days } kun
    }):
ai-advice-reorder-row = • { $name }: qoldiq { $on_hand } { $unit }, kuniga { $daily } → taxminan { $order } buyurtma qiling
ai-advice-dead = 💤 <b>{ $days ->
       *[other] { $days } kundan beri
    } sotilmayapti</b>:
ai-advice-overstock = 📦 <b>Ortiqcha zaxira</b> (90 kunlik talabdan koʻp):
ai-advice-overstock-row = • { $name }: { $days } kunga yetadi
ai-advice-branches = 📉 <b>Oʻtgan haftadan ortda qolgan filiallar</b>:
ai-advice-sellers = 📉 <b>Oʻtgan haftadan ortda qolgan sotuvchilar</b>:
ai-advice-behind-row = • { $name }: { $net }, avval { $before } (−{ $drop }%)
ai-advice-returns = ↩️ Bu hafta qaytarishlar savdoning { $share }% ({ $amount }), odatda { $usual }%.
ai-advice-none = Hozir eʼtibor talab qiladigan narsa yoʻq.
ai-model-fallback = ℹ️ Model toʻgʻri javob bermadi, shuning uchun bu oflayn javob.
ai-quota-spent = ℹ️ Modelning bugungi limiti tugadi, shuning uchun bu oflayn javob.
ai-error-unknown-product = Bunday mahsulot katalogda yoʻq.
ai-error-payroll-scope = Ish haqi butun kompaniya boʻyicha: faqat ayrim filiallarni koʻradiganlarga koʻrsatilmaydi.
ai-feedback-up = 👍
ai-feedback-down = 👎
ai-feedback-thanks = Baho uchun rahmat.
ai-feedback-why = Nima notoʻgʻri edi?
ai-reason-wrong = Raqam notoʻgʻri
ai-reason-misunderstood = Savolni tushunmadi
ai-reason-incomplete = Toʻliq emas
ai-reason-other = Boshqa
ai-example-1 = kecha savdo
ai-example-2 = shu hafta qaysi filial eng kam sotdi
ai-example-3 = shu oy eng koʻp sotilgan 5 ta mahsulot
ai-example-4 = keyingi 7 kun prognoz
ai-example-5 = maslahat
ai-log-title = 🗒 <b>Yordamchi jurnali</b>: oxirgi { $count ->
       *[other] { $count } ta savol
    } · 👍 { $up } · 👎 { $down }
ai-log-row = { $mark } <i>{ $question }</i> → { $tools } ({ $path }, { $ms } ms)
ai-log-empty = Hali savol berilmagan.
ai-forecast-usage = Mahsulot boʻyicha prognoz: /forecast nomi. Filial boʻyicha: /forecast filial.
