## Scheduled summaries
summary-daily-title = 📊 <b>{ $company }</b> — kun yakuni
summary-business-day = Ish kuni { $day } ({ $timezone })
summary-no-sales = Bu kunda savdo qayd etilmadi.
summary-net = Sof savdo: <b>{ $amount }</b>
summary-change-yesterday = oldingi kunga nisbatan { $change }
summary-change-weekday = { $day } bilan solishtirganda { $change }
summary-change-missing = { $day } bilan solishtirilmadi: bu kun yuklanmagan
summary-day-missing = ⚠️ { $day } maʼlumotlari hali toʻliq yuklanmagan: quyidagi raqamlarda yetishmayotgan qismi yoʻq. Ularni /sync bilan yuklang.
summary-sales-returns = Savdo { $sales } ({ $receipts } ta chek) · qaytarishlar { $returns } ({ $return_receipts })
summary-wholesale = Ulgurji, sof: { $amount }
summary-average = Oʻrtacha chek: { $amount }
summary-section-payments = <b>Toʻlov turlari boʻyicha</b>
summary-section-branches = <b>Filiallar</b>
summary-section-products = <b>Eng koʻp sotilgan mahsulotlar</b>
summary-section-sellers = <b>Eng yaxshi sotuvchilar</b>
summary-section-low-stock = <b>Tugab bormoqda</b>
summary-section-alerts = <b>⚠️ Eʼtibor bering</b>
summary-row = • { $name }: { $amount }
summary-branch-row = • { $name }: { $amount } ({ $receipts } ta chek) { $change }
summary-branch-shift = savdo { $sales }, qaytarishlar { $returns }
summary-ranked-row = { $rank }. { $name } — { $amount }
summary-low-stock-row = • { $name } ({ $branch }): { $quantity } qoldi, minimum { $minimum }
summary-alert-drop = • Sof savdo oʻtgan haftaning shu kunidan { $percent }% past.
summary-alert-returns = • Qaytarishlar savdoning { $percent }% ini tashkil qildi (odatda { $usual }%).
summary-correction = ✏️ { $day } uchun tuzatish: kechikkan chek yoki qaytarish sof savdoni { $before }dan { $after }ga oʻzgartirdi ({ $receipts } ta chek).
summary-weekly-title = 🗓 <b>Hafta yakuni</b>, { $period }
summary-monthly-title = 🗓 <b>Oy yakuni</b>, { $period }
summary-blocked-chats = { $count } kishi botni bloklagani uchun yakunni olmadi: { $names }.

## /settings
settings-title =
    <b>Yakunlar</b>
    Har kuni soat { $time }da ({ $timezone }); kunlik { $daily }, haftalik { $weekly }, oylik { $monthly }.
    Sizniki: { $muted }; kuzatayotgan filiallaringiz: { $branches }.
settings-on = yoqilgan
settings-off = oʻchirilgan
settings-muted = oʻchirilgan
settings-unmuted = yoqilgan
btn-settings-time = Vaqtni oʻzgartirish
btn-settings-daily = Kunlik: { $state }
btn-settings-weekly = Haftalik (dushanba): { $state }
btn-settings-monthly = Oylik (1-sana): { $state }
btn-settings-mute = Yakunlarimni oʻchirish
btn-settings-unmute = Yakunlarimni yoqish
btn-settings-branches = Kuzatadigan filiallarim
settings-ask-time = Kunlik yakun vaqtini yuboring, masalan 21:00.
settings-time-invalid = Vaqtni tushunmadim. Masalan, 21:00 deb yuboring.
settings-saved = Saqlandi.
settings-branches-title = Yakunini olmoqchi boʻlgan filiallarni tanlang (✅ — kuzatilmoqda).
btn-settings-all-branches = Barcha filiallarim
cmd-settings = yakunlar va bildirishnomalar
