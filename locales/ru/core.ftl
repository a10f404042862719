## Language and onboarding
choose-language = Choose your language / Tilni tanlang / Выберите язык
language-set = Язык: русский.
welcome-new =
    Добро пожаловать в Smart Savdo, { $name }!
    Я веду повседневные дела магазина в этом чате: продажи из касс REGOS (за сегодня, за любой период, ежедневная сводка) и ответы на вопросы о них простыми словами; расходы и кассы с согласованием; счета поставщиков — по фотографии; черновики зарплаты и налоговых отчётов. Сотрудники присоединяются по ссылкам-приглашениям, у каждого своя роль.

    Вы пока не состоите в компании. Создайте свою компанию или откройте ссылку-приглашение от руководителя.
welcome-back = С возвращением, { $name }! Активная компания: <b>{ $company }</b> ({ $role }).
btn-create-company = Создать компанию
create-ask-name = Как называется компания? Отправьте название (до 128 символов).
create-ask-tin = Отправьте ИНН (СТИР) компании: ровно 9 цифр.
create-ask-timezone = Выберите часовой пояс компании или отправьте его название (например, Asia/Tashkent).
create-ask-regime = Какой налоговый режим у компании?
btn-regime-turnover = Налог с оборота
btn-regime-vat = НДС (общий режим)
create-done =
    Компания <b>«{ $company }»</b> создана, вы её владелец.
    ИНН: { $tin }
    Часовой пояс: { $timezone }

    Дальше: пригласите сотрудников командой /invite.
btn-cancel = Отмена
cancelled = Отменено. Ничего не изменено.
press-a-button = Пожалуйста, выберите кнопкой выше или отправьте /cancel.

## Invites
invite-choose-role = Какая роль будет у нового участника?
invite-choose-branch = В каком филиале он будет работать?
btn-all-branches = Все филиалы
all-branches = все филиалы
invite-created =
    Приглашение готово. Роль: <b>{ $role }</b>, филиалы: { $branch }. Оно одноразовое и действует до { $expires }.

    Отправьте эту ссылку человеку:
    { $link }
invite-joined = Вы присоединились к компании <b>«{ $company }»</b> с ролью «{ $role }».
btn-share-invite = 📤 Поделиться приглашением
invite-share-text = Присоединяйтесь к компании «{ $company }» в Smart Savdo
invite-joined-owner = 👋 По приглашению в компанию <b>«{ $company }»</b> вошёл новый участник: { $name }. Роль: { $role }.
invite-not-found = Ссылка-приглашение недействительна. Попросите новую.
invite-used = Это приглашение уже использовано. Попросите новое.
invite-expired = Срок приглашения истёк. Попросите новое.
invite-company-gone = Компании из этого приглашения больше нет.
invite-already-member = Вы уже состоите в компании <b>«{ $company }»</b>.

## Members
members-title = Участники компании <b>«{ $company }»</b>: { $count }
member-line = { $name } — { $role } ({ $branches })
member-card =
    <b>{ $name }</b>
    Роль: { $role }
    Филиалы: { $branches }
btn-change-role = Сменить роль
btn-remove = Удалить
btn-done = ✅ Готово
btn-back = Назад
member-choose-role = Выберите новую роль для участника { $name }:
member-remove-confirm = Удалить участника { $name } из компании?
btn-confirm-remove = Да, удалить
member-removed = Участник { $name } удалён из компании.
member-role-changed = Новая роль участника { $name }: «{ $role }».
member-you = (вы)
member-only-owner = Это единственный владелец компании. Без владельца компания остаться не может, поэтому его роль не меняется и удалить его нельзя. Чтобы передать компанию, сначала сделайте владельцем кого-то ещё (пригласите его через /invite).

## Company switching
company-choose = Выберите активную компанию:
company-switched = Активная компания: <b>{ $company }</b> ({ $role }).
company-none = Вы пока не состоите ни в одной компании. Отправьте /start.

## Roles
role-owner = владелец
role-manager = управляющий
role-accountant = бухгалтер
role-cashier = кассир
role-warehouse = кладовщик
role-agent = торговый агент
role-staff = сотрудник

## Commands and help
help-title = Ваши команды ({ $role }):
help-no-company = Доступные сейчас команды:
cmd-start = начать заново
cmd-help = что я умею
cmd-lang = сменить язык
cmd-company = сменить активную компанию
cmd-invite = пригласить участника
cmd-members = участники и роли
cmd-cancel = отменить текущее действие

## Main menu buttons
menu-today = 📊 Сегодня
menu-sales = 📈 Продажи
menu-sync = 🔄 Синхронизация
menu-settings = ⚙️ Настройки
menu-regos = 🔌 REGOS
menu-invite = ➕ Пригласить
menu-members = 👥 Участники
menu-company = 🏢 Компания
menu-language = 🌐 Язык
menu-help = ❓ Помощь

## Errors
error-generic = У нас что-то пошло не так, ничего не изменено. Попробуйте ещё раз через минуту. (код { $ref })
error-busy = Бот сейчас занят, ничего не изменено. Попробуйте ещё раз через несколько секунд.
error-no-permission = Ваша роль не позволяет это сделать. Если нужно, обратитесь к владельцу компании.
error-not-found = Не найдено.
error-invalid = Недопустимое значение.
error-no-company = Вы пока не состоите в компании. Отправьте /start, чтобы создать её, или откройте ссылку-приглашение.
error-not-your-company = Эта компания не из ваших.
error-role-not-assignable = Вы не можете назначить роль «{ $role }».
error-branch-not-yours = Этого филиала нет в вашей компании.
error-unknown-language = Неизвестный язык.
error-stale-button = Эта кнопка устарела. Откройте меню заново.
error-no-permission-roles = Ваша роль не позволяет это сделать. Это доступно ролям: { $roles }. Если вам это нужно, попросите владельца компании сменить вам роль.
error-button-other-company = Эта кнопка относится к другой компании. Переключитесь на неё через /company или откройте меню заново.
error-step-over = Этот шаг уже завершён, ничего не изменено. Если нужно, начните заново с команды.
error-member-not-found = Такого участника нет в вашей компании.
error-last-owner = В компании должен остаться хотя бы один владелец. Сначала назначьте владельцем кого-то ещё.
error-tin-format = ИНН — ровно 9 цифр, например 305123456. Попробуйте ещё раз.
error-company-name = Название — от 1 до { $max } символов и не начинается с «/». Попробуйте ещё раз.
error-timezone = «{ $value }» — неизвестный часовой пояс. Нажмите кнопку или отправьте название вроде Asia/Tashkent.
unknown-command = Я не знаю команду { $command }. Список — /help.
not-understood = Я не понял. Воспользуйтесь меню ниже или отправьте /help.
not-a-file-yet = Фото и PDF-файлы счетов поставщиков я читаю у владельца, управляющего, бухгалтера и кладовщика компании; чек к расходу прикладывается через /expense. В остальном спросите командой: /today — продажи за сегодня, /sales — за любой период, /help — всё остальное.

## /mysales
cmd-mysales = мои продажи
menu-mysales = 🧾 Мои продажи
mysales-title = 🧾 <b>Ваши продажи</b> (продавец { $seller }) в компании <b>«{ $company }»</b>
mysales-today = Сегодня: <b>{ $net }</b>, { $receipts_text } { $receipts ->
    [one] чек
    [few] чека
   *[many] чеков
}, возвраты { $returns }
mysales-month = С начала месяца: <b>{ $net }</b>, { $receipts_text } { $receipts ->
    [one] чек
    [few] чека
   *[many] чеков
}, возвраты { $returns }
mysales-not-linked = Вы пока не привязаны к продавцу в REGOS, поэтому я не знаю, какие продажи ваши. Попросите владельца компании привязать вас в /regos → Сотрудники.
