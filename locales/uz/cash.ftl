## /cash
cmd-cash = kassalar: qoldiq, kirim, chiqim, inkassatsiya
cash-title = <b>Kassalar</b>
cash-register-line = { $name }: <b>{ $balance }</b>
cash-register-line-limit = { $name }: <b>{ $balance }</b> (limit { $limit })
cash-total = Jami: <b>{ $balance }</b>
btn-cash-deposit = ➕ Kirim
btn-cash-withdrawal = ➖ Chiqim
btn-cash-transfer = 🔁 Oʻtkazma
btn-cash-collection = 🏦 Inkassatsiya
btn-cash-setup = ⚙️ Limitlar
cash-kind-deposit = Kirim
cash-kind-withdrawal = Chiqim
cash-kind-transfer_out = Boshqa kassaga oʻtkazma
cash-kind-transfer_in = Boshqa kassadan oʻtkazma
cash-kind-collection = Inkassatsiya
cash-kind-regos_sales = REGOSdan naqd tushum
cash-ask-register = { $operation }: qaysi kassa?
cash-ask-target = «{ $register }» kassasidan oʻtkazma: qaysi kassaga?
cash-ask-amount = { $operation } · { $register } (kassada { $balance }). Summani yuboring.
btn-cash-collect-all = 🏦 Hammasi: { $amount }
cash-ask-note = Izoh qoʻshing (kim, nima uchun) yoki «Oʻtkazib yuborish»ni bosing.
cash-done = ✅ { $operation }: { $amount } qayd etildi. «{ $register }» kassasida endi { $balance }.
cash-done-transfer = ✅ { $amount } «{ $source }» kassasidan «{ $target }» kassasiga oʻtkazildi. «{ $source }»da endi { $source_balance }, «{ $target }»da { $target_balance }.
cash-pending = 📨 #{ $id } chiqim ({ $amount }) { $threshold }dan koʻp, shuning uchun tasdiqlanishini kutmoqda (yuborildi: { $names }). U tasdiqlangach hisobga olinadi.
cash-pending-nobody = #{ $id } chiqim ({ $amount }) tasdiqlanishini kutmoqda, lekin hozir botda uni tasdiqlay oladigan hech kim yoʻq. U /approvals roʻyxatida turibdi.
cash-not-enough = Naqd pul yetarli emas: kassa qoldigʻi manfiy boʻlib qoladi. Qoldiqni /cash orqali tekshiring.
cash-transfer-same = Oʻtkazma boshqa kassaga qilinadi.
cash-register-not-found = Bunday kassa yoʻq yoki u sizning filiallaringizga tegishli emas.
cash-note-too-long = Izoh juda uzun: koʻpi bilan { $limit } ta belgi.
cash-flow-expired = Bu amal juda uzoq vaqt tugallanmay qoldi, hech narsa saqlanmadi. /cash bilan qaytadan boshlang.

## Limit oshgani haqida ogohlantirish, tasdiqlash kartochkasi
cash-limit-alert = ⚠️ «{ $register }» kassasida { $balance } bor — bu { $limit } limitidan koʻp. Ortiqchasini inkassatorlarga topshiring va inkassatsiyani tasdiqlang.
btn-cash-confirm-collection = 🏦 Inkassatsiyani tasdiqlash
cash-card-title = 💵 #{ $id } kassa chiqimi
cash-fact-kind = Amal
cash-fact-amount = Summa
cash-fact-register = Kassa
cash-fact-note = Izoh
cash-summary-line = 💵 Kassalarda: { $balance }

## Limitlar (kompaniya egasi)
cash-setup =
    <b>Kassa sozlamalari</b>
    { $threshold }dan koʻp chiqimlar tasdiqlanishini kutadi.
    Kassada limitidan koʻp pul boʻlsa, ogohlantirish keladi:
cash-limit-none = limitsiz
btn-cash-limit = { $name }: limit…
btn-cash-threshold = Chiqimni tasdiqlash chegarasi…
cash-ask-limit = «{ $name }» kassasining limiti: summani yuboring yoki limitni olib tashlash uchun 0 yuboring.
cash-ask-threshold = Qancha summadan koʻp chiqimlar tasdiqlanishini kutsin? Summani yuboring.
cash-saved = Saqlandi.

## Kassa hisoboti (Excel)
cash-sheet-registers = Kassalar
cash-sheet-movements = Harakatlar
cash-col-register = Kassa
cash-col-opening = Davr boshidagi qoldiq
cash-col-inflow = Kirim
cash-col-outflow = Chiqim
cash-col-closing = Davr oxiridagi qoldiq
cash-col-total = Jami
cash-col-day = Kun
cash-col-kind = Amal
cash-col-amount = Summa
cash-col-note = Izoh

## Main menu
menu-cash = 💵 Kassa
