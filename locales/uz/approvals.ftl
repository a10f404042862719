## Soʻrov kartochkalari (services/approvals)
approval-status-pending = ⏳ Qaror kutilmoqda.
approval-status-approved = ✅ { $name } tomonidan tasdiqlandi, { $when }.
approval-status-rejected = ❌ { $name } tomonidan rad etildi, { $when }. Sabab: { $reason }
approval-status-withdrawn = ↩️ { $name } tomonidan qaytarib olindi, { $when }.
approval-card-asked = Soʻragan: { $name }, { $when }
approval-card-gone = #{ $id } soʻrov: u tegishli boʻlgan narsa endi mavjud emas.
approval-header-reminder = ⏰ Eslatma: bu { $hours } soatdan beri qaroringizni kutmoqda.
approval-header-escalation = ⚠️ Sizga oʻtkazildi: { $hours } soat davomida hech kim qaror qabul qilmadi.
btn-approval-approve = ✅ Tasdiqlash
btn-approval-reject = ❌ Rad etish
btn-approval-attachment = 📎 Chek
btn-approval-withdraw = ↩️ Soʻrovni qaytarib olish
approval-told-approved = ✅ { $title }: { $name } tomonidan tasdiqlandi.
approval-told-rejected = ❌ { $title }: { $name } tomonidan rad etildi. Sabab: { $reason }

## Qaror qabul qilish
approval-done-approved = Tasdiqlandi.
approval-done-rejected = Rad etildi. Soʻrov muallifiga sababi yetkazildi.
approval-done-withdrawn = Soʻrov qaytarib olindi.
approval-ask-reason = «{ $title }» nima uchun rad etilmoqda? Sababini bitta xabarda yozing — uni soʻrov muallifi oʻqiydi. Soʻrov kutib tursin desangiz, /cancel yuboring.
approval-reason-needed = Sababini matn bilan yozing: uni soʻrov muallifi oʻqiydi.
approval-reason-too-long = Sabab juda uzun: koʻpi bilan { $limit } ta belgi.
approval-already-approved = Qaror allaqachon qabul qilingan: { $name } tomonidan tasdiqlangan, { $when }.
approval-already-rejected = Qaror allaqachon qabul qilingan: { $name } tomonidan rad etilgan, { $when }.
approval-already-withdrawn = Bu soʻrov { $name } tomonidan qaytarib olingan, { $when }.
approval-not-found = Bunday soʻrov yoʻq yoki u sizning kompaniyangizga tegishli emas.
approval-object-gone = Soʻrov tegishli boʻlgan narsa endi mavjud emas; hech narsa oʻzgarmadi.
approval-refused-role = Bu soʻrovni siz hal qilmaysiz. Uni hal qiladiganlar: { $roles }.
approval-refused-own = Oʻz soʻrovingizni oʻzingiz hal qila olmaysiz: uni sizdan yuqoridagi kishi hal qiladi.
approval-refused-branch = Bu soʻrov siz ishlamaydigan filialga tegishli.
approval-refused-limit = Summa rolingiz tasdiqlay oladigan miqdordan katta; uni kompaniya egasi hal qiladi.
approval-withdraw-not-yours = Soʻrovni faqat uning muallifi qaytarib olishi mumkin.
approval-no-attachment = Bu soʻrovga hech narsa biriktirilmagan.

## /approvals
cmd-approvals = qaroringizni kutayotgan soʻrovlar
approvals-title = <b>{ $count } ta soʻrov</b> qaroringizni kutmoqda, eng eskilari birinchi:
approvals-empty = Hozir qaroringizni kutayotgan hech narsa yoʻq.
approvals-page = { $page }-sahifa, jami { $pages } ta

## Main menu
menu-approvals = ✅ Tasdiqlash
