## /cash
cmd-cash = кассы: остатки, внесения, выдачи, инкассация
cash-title = <b>Кассы</b>
cash-register-line = { $name }: <b>{ $balance }</b>
cash-register-line-limit = { $name }: <b>{ $balance }</b> (лимит { $limit })
cash-total = Всего: <b>{ $balance }</b>
btn-cash-deposit = ➕ Внесение
btn-cash-withdrawal = ➖ Выдача
btn-cash-transfer = 🔁 Перемещение
btn-cash-collection = 🏦 Инкассация
btn-cash-setup = ⚙️ Лимиты
cash-kind-deposit = Внесение
cash-kind-withdrawal = Выдача
cash-kind-transfer_out = Перемещение в другую кассу
cash-kind-transfer_in = Перемещение из другой кассы
cash-kind-collection = Инкассация
cash-kind-regos_sales = Наличная выручка из REGOS
cash-ask-register = { $operation }: какая касса?
cash-ask-target = Перемещение из кассы «{ $register }»: в какую кассу?
cash-ask-amount = { $operation } · { $register } (в кассе { $balance }). Отправьте сумму.
btn-cash-collect-all = 🏦 Всё: { $amount }
cash-ask-note = Добавьте примечание (кто, на что) или нажмите «Пропустить».
cash-done = ✅ { $operation }: { $amount } записано. В кассе «{ $register }» теперь { $balance }.
cash-done-transfer = ✅ { $amount } перемещено из кассы «{ $source }» в кассу «{ $target }». В «{ $source }» теперь { $source_balance }, в «{ $target }» — { $target_balance }.
cash-pending = 📨 Выдача №{ $id } на { $amount } больше { $threshold }, поэтому ждёт одобрения (отправлено: { $names }). Она будет учтена после одобрения.
cash-pending-nobody = Выдача №{ $id } на { $amount } ждёт одобрения, но сейчас в боте нет никого, кто может её одобрить. Она видна в /approvals.
cash-not-enough = Недостаточно наличных: остаток кассы ушёл бы в минус. Проверьте остаток в /cash.
cash-transfer-same = Перемещение делается в другую кассу.
cash-register-not-found = Такой кассы нет, или она не относится к вашим филиалам.
cash-note-too-long = Слишком длинное примечание: не более { $limit } символов.
cash-flow-expired = Операция слишком долго оставалась незаконченной, и ничего не сохранено. Начните заново: /cash.

## Превышение лимита, карточка одобрения
cash-limit-alert = ⚠️ В кассе «{ $register }» { $balance } — больше лимита в { $limit }. Сдайте излишек инкассаторам и подтвердите инкассацию.
btn-cash-confirm-collection = 🏦 Подтвердить инкассацию
cash-card-title = 💵 Выдача из кассы №{ $id }
cash-fact-kind = Операция
cash-fact-amount = Сумма
cash-fact-register = Касса
cash-fact-note = Примечание
cash-summary-line = 💵 В кассах: { $balance }

## Лимиты (владелец)
cash-setup =
    <b>Настройки касс</b>
    Выдачи больше { $threshold } ждут одобрения.
    Когда в кассе больше её лимита, приходит предупреждение:
cash-limit-none = без лимита
btn-cash-limit = { $name }: лимит…
btn-cash-threshold = Одобрение выдач больше…
cash-ask-limit = Лимит кассы «{ $name }»: отправьте сумму или 0, чтобы убрать лимит.
cash-ask-threshold = Выдачи больше какой суммы должны ждать одобрения? Отправьте сумму.
cash-saved = Сохранено.

## Кассовый отчёт (Excel)
cash-sheet-registers = Кассы
cash-sheet-movements = Движения
cash-col-register = Касса
cash-col-opening = Остаток на начало
cash-col-inflow = Приход
cash-col-outflow = Расход
cash-col-closing = Остаток на конец
cash-col-total = Итого
cash-col-day = День
cash-col-kind = Операция
cash-col-amount = Сумма
cash-col-note = Примечание

## Main menu
menu-cash = 💵 Касса
