## Language and onboarding
choose-language = Choose your language / Tilni tanlang / Выберите язык
language-set = Til: oʻzbekcha.
welcome-new =
    Smart Savdoʼga xush kelibsiz, { $name }!
    Doʻkonning kundalik ishlarini shu chatda yuritaman: REGOS kassalaridan savdo (bugun, istalgan davr, kunlik yakun) va bu haqdagi savollaringizga oddiy tilda javob; xarajatlar va kassalar (tasdiqlash bilan); rasmdan oʻqiladigan yetkazib beruvchi hisob-fakturalari; ish haqi va soliq hisobotlari qoralamalari. Xodimlar taklif havolasi orqali qoʻshiladi, har birining oʻz roli bor.

    Siz hali hech qaysi kompaniyada emassiz. Kompaniyangizni yarating yoki rahbaringiz yuborgan taklif havolasini oching.
welcome-back = Yana xush kelibsiz, { $name }! Faol kompaniya: <b>{ $company }</b> ({ $role }).
btn-create-company = Kompaniya yaratish
create-ask-name = Kompaniya nomi nima? Nomini yuboring (128 belgigacha).
create-ask-tin = Kompaniyaning STIR raqamini yuboring: aniq 9 ta raqam.
create-ask-timezone = Kompaniyaning vaqt mintaqasini tanlang yoki nomini yuboring (masalan, Asia/Tashkent).
create-ask-regime = Kompaniya qaysi soliq rejimida?
btn-regime-turnover = Aylanmadan olinadigan soliq
btn-regime-vat = QQS (umumiy rejim)
create-done =
    <b>{ $company }</b> kompaniyasi yaratildi, siz uning egasisiz.
    STIR: { $tin }
    Vaqt mintaqasi: { $timezone }

    Keyingi qadam: xodimlarni /invite bilan taklif qiling.
btn-cancel = Bekor qilish
cancelled = Bekor qilindi. Hech narsa oʻzgarmadi.
press-a-button = Iltimos, yuqoridagi tugmalardan birini tanlang yoki /cancel yuboring.

## Invites
invite-choose-role = Yangi aʼzo qaysi rolda boʻladi?
invite-choose-branch = U qaysi filialda ishlaydi?
btn-all-branches = Barcha filiallar
all-branches = barcha filiallar
invite-created =
    Taklif tayyor. Rol: <b>{ $role }</b>, filiallar: { $branch }. U bir marta ishlaydi; amal qilish muddati: { $expires }.

    Ushbu havolani oʻsha odamga yuboring:
    { $link }
invite-joined = Siz <b>{ $company }</b> kompaniyasiga { $role } sifatida qoʻshildingiz.
btn-share-invite = 📤 Taklifni ulashish
invite-share-text = Smart Savdoʼda { $company } kompaniyasiga qoʻshiling
invite-joined-owner = 👋 { $name } taklif orqali <b>{ $company }</b> kompaniyasiga qoʻshildi. Roli: { $role }.
invite-not-found = Bu taklif havolasi yaroqsiz. Yangisini soʻrang.
invite-used = Bu taklif allaqachon ishlatilgan. Yangisini soʻrang.
invite-expired = Bu taklifning muddati tugagan. Yangisini soʻrang.
invite-company-gone = Bu taklifdagi kompaniya endi mavjud emas.
invite-already-member = Siz allaqachon <b>{ $company }</b> aʼzosisiz.

## Members
members-title = <b>{ $company }</b> aʼzolari: { $count }
member-line = { $name } — { $role } ({ $branches })
member-card =
    <b>{ $name }</b>
    Rol: { $role }
    Filiallar: { $branches }
btn-change-role = Rolni oʻzgartirish
btn-remove = Chiqarish
btn-done = ✅ Tayyor
btn-back = Orqaga
member-choose-role = { $name } uchun yangi rolni tanlang:
member-remove-confirm = { $name } kompaniyadan chiqarilsinmi?
btn-confirm-remove = Ha, chiqarish
member-removed = { $name } kompaniyadan chiqarildi.
member-role-changed = { $name } uchun yangi rol: { $role }.
member-you = (siz)
member-only-owner = Bu kompaniyaning yagona egasi. Kompaniya egasiz qolmasligi kerak, shuning uchun uning rolini oʻzgartirib ham, uni chiqarib ham boʻlmaydi. Kompaniyani topshirish uchun avval boshqa birovni ega qiling (uni /invite orqali taklif qiling).

## Company switching
company-choose = Faol kompaniyani tanlang:
company-switched = Faol kompaniya: <b>{ $company }</b> ({ $role }).
company-none = Siz hali hech qaysi kompaniya aʼzosi emassiz. /start yuboring.

## Roles
role-owner = ega
role-manager = boshqaruvchi
role-accountant = buxgalter
role-cashier = kassir
role-warehouse = omborchi
role-agent = savdo agenti
role-staff = xodim

## Commands and help
help-title = Siz uchun buyruqlar ({ $role }):
help-no-company = Hozir mavjud buyruqlar:
cmd-start = boshlash yoki qayta boshlash
cmd-help = nimalar qila olaman
cmd-lang = tilni oʻzgartirish
cmd-company = faol kompaniyani almashtirish
cmd-invite = aʼzo taklif qilish
cmd-members = aʼzolar va rollar
cmd-cancel = joriy amalni bekor qilish

## Main menu buttons
menu-today = 📊 Bugun
menu-sales = 📈 Savdo
menu-sync = 🔄 Sinxronlash
menu-settings = ⚙️ Sozlamalar
menu-regos = 🔌 REGOS
menu-invite = ➕ Taklif qilish
menu-members = 👥 Aʼzolar
menu-company = 🏢 Kompaniya
menu-language = 🌐 Til
menu-help = ❓ Yordam

## Errors
error-generic = Bizda nimadir xato ketdi, hech narsa oʻzgarmadi. Bir daqiqadan soʻng qayta urinib koʻring. (kod { $ref })
error-busy = Bot hozir band, hech narsa oʻzgarmadi. Bir necha soniyadan soʻng qayta urinib koʻring.
error-no-permission = Rolingiz bunga ruxsat bermaydi. Kerak boʻlsa, kompaniya egasiga murojaat qiling.
error-not-found = Topilmadi.
error-invalid = Bu qiymat yaroqsiz.
error-no-company = Siz hali kompaniyada emassiz. Yaratish uchun /start yuboring yoki taklif havolasini oching.
error-not-your-company = Bu kompaniya sizniki emas.
error-role-not-assignable = Siz «{ $role }» rolini bera olmaysiz.
error-branch-not-yours = Bu filial kompaniyangizda yoʻq.
error-unknown-language = Nomaʼlum til.
error-stale-button = Bu tugma eskirgan. Menyuni qaytadan oching.
error-no-permission-roles = Rolingiz bunga ruxsat bermaydi. Bu faqat quyidagi rollar uchun: { $roles }. Kerak boʻlsa, kompaniya egasidan rolingizni oʻzgartirishni soʻrang.
error-button-other-company = Bu tugma boshqa kompaniya uchun yaratilgan. Unga /company orqali oʻting yoki menyuni qaytadan oching.
error-step-over = Bu qadam allaqachon tugagan, hech narsa oʻzgarmadi. Kerak boʻlsa, buyruqdan qaytadan boshlang.
error-member-not-found = Bunday aʼzo kompaniyangizda yoʻq.
error-last-owner = Kompaniyada kamida bitta ega qolishi kerak. Avval boshqa birovni ega qiling.
error-tin-format = STIR aniq 9 ta raqamdan iborat, masalan 305123456. Qayta urinib koʻring.
error-company-name = Nom boʻsh boʻlmasligi, { $max } belgidan oshmasligi va «/» bilan boshlanmasligi kerak. Qayta urinib koʻring.
error-timezone = «{ $value }» — nomaʼlum vaqt mintaqasi. Tugmani bosing yoki Asia/Tashkent kabi nom yuboring.
unknown-command = { $command } buyrugʻini bilmayman. Roʻyxat uchun /help yuboring.
not-understood = Tushunmadim. Pastdagi menyudan foydalaning yoki /help yuboring.
not-a-file-yet = Yetkazib beruvchi hisob-fakturalarining rasmi va PDF fayllarini kompaniya egasi, boshqaruvchisi, buxgalteri yoki omborchisidan qabul qilib oʻqiyman; xarajat cheki /expense orqali yuboriladi. Boshqa savollarni buyruq bilan bering: /today — bugungi savdo, /sales — istalgan davr, /help — qolgan hammasi.

## /mysales
cmd-mysales = mening savdolarim
menu-mysales = 🧾 Savdolarim
mysales-title = 🧾 <b>Sizning savdolaringiz</b> ({ $seller }), <b>{ $company }</b>
mysales-today = Bugun: <b>{ $net }</b>, { $receipts ->
   *[other] { $receipts_text }
} ta chek, qaytarishlar { $returns }
mysales-month = Oy boshidan: <b>{ $net }</b>, { $receipts ->
   *[other] { $receipts_text }
} ta chek, qaytarishlar { $returns }
mysales-not-linked = Siz hali REGOSʼdagi sotuvchiga bogʻlanmagansiz, shuning uchun qaysi savdolar sizniki ekanini bilmayman. Kompaniya egasidan sizni /regos → Xodimlar boʻlimida bogʻlashni soʻrang.
