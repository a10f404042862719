## Суммы, которые вводят люди (services/amounts)
amount-invalid = Это не сумма. Отправьте число, например 150 000, 150к или 1,5 млн.
amount-not-positive = Сумма должна быть больше нуля.
amount-too-large = Слишком большая сумма, чтобы быть настоящей. Проверьте её и отправьте ещё раз.
amount-too-precise = В сумме не больше двух знаков после запятой (тийины).

## /expense
cmd-expense = записать расход
cmd-expenses = расходы: список, фильтры, Excel
expense-ask-amount = 💸 Сколько потрачено? Отправьте сумму, например 150 000, 150к или 1,5 млн. /cancel — отменить.
expense-confirm-amount = { $amount } — больше обычного порога в { $ceiling }. Сумма верна?
btn-expense-amount-yes = ✅ Да, { $amount }
btn-expense-amount-no = ✏️ Ввести заново
expense-ask-category = Сумма: <b>{ $amount }</b>. Какая категория?
expense-ask-branch = Для какого филиала?
expense-ask-comment = Добавьте комментарий (на что потрачено) или нажмите «Пропустить».
expense-ask-receipt = Отправьте фото чека (или PDF) или нажмите «Пропустить».
btn-skip = Пропустить ⏭
expense-review =
    <b>Проверьте расход</b>
    Сумма: { $amount }
    Категория: { $category }
    Филиал: { $branch }
    Комментарий: { $comment }
    Чек: { $receipt }
expense-receipt-attached = приложен
expense-receipt-none = нет
expense-no-branch = —
expense-no-comment = —
btn-expense-submit = ✅ Отправить
expense-auto-approved = ✅ Расход №{ $id } ({ $amount }) записан и одобрен: он меньше { $limit }, а такие расходы одобряются сразу.
expense-sent = 📨 Расход №{ $id } ({ $amount }) отправлен на одобрение: { $names }. О решении вам сообщат.
expense-sent-nobody = Расход №{ $id } ({ $amount }) ждёт одобрения, но сейчас в боте нет никого, кто может его одобрить. Он виден в /approvals.
expense-flow-expired = Расход слишком долго оставался незаконченным, и ничего не сохранено. Начните заново: /expense.
expense-category-gone = Эту категорию только что удалили. Выберите другую.
expense-branch-needed = Выберите филиал, к которому относится расход.
expense-receipt-not-image = Этот файл — не картинка и не PDF. Отправьте фото чека или нажмите «Пропустить».
expense-receipt-expected = Отправьте фото чека (или PDF) или нажмите «Пропустить».
expense-comment-too-long = Слишком длинный комментарий: не более { $limit } символов.
expense-not-found = Такого расхода нет.

## Карточка и категории
expense-card-title = 🧾 Расход №{ $id }
expense-fact-amount = Сумма
expense-fact-category = Категория
expense-fact-branch = Филиал
expense-fact-day = День
expense-fact-comment = Комментарий
expense-category-rent = Аренда
expense-category-utilities = Коммунальные услуги
expense-category-transport = Транспорт
expense-category-supplies = Хозтовары
expense-category-repair = Ремонт
expense-category-marketing = Реклама
expense-category-other = Прочее
expense-category-none = Без категории
expense-status-pending = ⏳ ждёт
expense-status-approved = ✅ одобрен
expense-status-rejected = ❌ отклонён
expense-status-withdrawn = ↩️ отозван

## /expenses
expenses-title = <b>Расходы</b> · { $period } · { $branch } · { $status } · { $category }
expenses-empty = Под эти фильтры расходов нет.
expenses-totals = { $count ->
    [one] { $count } расход
    [few] { $count } расхода
   *[other] { $count } расходов
}, всего { $amount }.
expenses-page = Страница { $page } из { $pages }
expenses-period-d = сегодня
expenses-period-w = эта неделя
expenses-period-m = этот месяц
expenses-period-lm = прошлый месяц
expenses-any-status = любой статус
expenses-all-categories = все категории
expenses-export-caption = Расходы, { $period }
expenses-sheet = Расходы
expenses-col-day = День
expenses-col-id = №
expenses-col-branch = Филиал
expenses-col-category = Категория
expenses-col-amount = Сумма
expenses-col-status = Статус
expenses-col-by = Кто внёс
expenses-col-comment = Комментарий
expenses-total-approved = Всего одобрено
btn-expenses-export = 📥 Excel
btn-expenses-setup = ⚙️ Категории и лимиты

## Категории и лимиты (владелец)
expenses-setup =
    <b>Настройки расходов</b>
    Сразу одобряются суммы меньше: { $auto }
    Подтверждение суммы, если больше: { $ceiling }
    Менеджеры одобряют до { $manager }; что больше — решает владелец.

    Категории (нажмите на категорию, чтобы удалить её):
btn-expense-add-category = ➕ Добавить категорию
btn-expense-limit-auto = Сразу одобрять меньше…
btn-expense-limit-ceil = Подтверждать сумму больше…
btn-expense-limit-mgr = Менеджеры одобряют до…
expense-ask-category-name = Отправьте название новой категории (не более { $limit } символов).
expense-category-added = Категория «{ $name }» добавлена.
expense-category-removed = Категория удалена. Расходы, уже записанные в неё, её сохраняют.
expense-category-name-invalid = Название категории — от 1 до { $limit } символов, и оно не начинается с «/».
expense-category-exists = Категория «{ $name }» уже есть.
expense-category-too-many = У компании может быть не больше { $limit } категорий. Сначала удалите одну.
expense-ask-limit-auto = Расходы меньше какой суммы одобрять сразу? Отправьте сумму или 0, чтобы спрашивать о каждом расходе.
expense-ask-limit-ceil = Свыше какой суммы просить сначала подтвердить сумму? Отправьте сумму.
expense-ask-limit-mgr = До какой суммы менеджеры могут одобрять расходы своих филиалов? Отправьте сумму.
expense-limit-saved = Сохранено.
expense-limit-off = выключено, спрашивать о каждом расходе

## Main menu
menu-expense = 💸 Расход
