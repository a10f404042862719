## Помощник: ответы на вопросы по данным компании
cmd-ask = вопрос о бизнесе
ai-period = { $first } – { $last }
ai-sales =
    📊 <b>{ $period }</b>{ $scope }
    Чистые продажи: <b>{ $net }</b>
    Розница: { $retail } · опт: { $wholesale }
    Возвраты: { $returns }
    { $receipts ->
        [one] { $receipts } чек
        [few] { $receipts } чека
       *[many] { $receipts } чеков
    }, средний чек { $average }
ai-sales-change = Ранее ({ $previous_period }): { $previous }
ai-payment-row = • { $name }: { $amount }
ai-top-branches = 🏬 <b>Филиалы по продажам, { $period }</b>
ai-top-branches-bottom = 🏬 <b>Филиалы с наименьшими продажами, { $period }</b>
ai-top-products = 📦 <b>Топ товаров, { $period }</b>
ai-top-products-bottom = 📦 <b>Меньше всего продано, { $period }</b>
ai-top-sellers = 👤 <b>Продавцы по продажам, { $period }</b>
ai-top-sellers-bottom = 👤 <b>Продавцы с наименьшими продажами, { $period }</b>
ai-row = { $place }. { $name }: { $amount }
ai-seller = 👤 <b>{ $name }</b>, { $period }: { $net }, { $receipts ->
        [one] { $receipts } чек
        [few] { $receipts } чека
       *[many] { $receipts } чеков
    }
ai-product = 📦 <b>{ $name }</b>, { $period }: продано { $quantity } на { $amount }
ai-stock = 📦 <b>Остатки</b>
ai-low-stock = ⚠️ <b>Ниже минимума</b>
ai-stock-row = • { $name }: { $quantity } { $unit }
ai-low-stock-row = • { $name }: { $quantity } { $unit } (минимум { $minimum })
ai-nothing = Ничего не найдено.
ai-missing = ⚠️ Ещё не загружены и не учтены: { $days }
ai-cut-at-today = Учтено по сегодняшний день.
ai-future = Продажи за дни, которые ещё не наступили, мне неизвестны. Спросите о сегодняшнем или прошедших днях.
ai-secret = Ключи, пароли и другие секреты я никогда не показываю.
ai-not-yet = На такие вопросы я пока не отвечаю. Откройте этот раздел из меню.
ai-refused = Это не для вашей роли. Это видят только: { $roles }.
ai-unknown =
    Я не понял вопрос. Я могу ответить, например:
    • сколько продали вчера
    • какой филиал продал меньше всех на этой неделе
    • топ 5 товаров за этот месяц
    • продажи за последние 7 дней
    • что заканчивается на складе
ai-empty = Напишите вопрос, например: продажи вчера.
ai-error-period-order = Период кончается раньше, чем начинается.
ai-error-future = Этот период ещё не наступил.
ai-error-period-too-long = Слишком длинный период.
ai-error-unknown-branch = Этот филиал вам не доступен.
ai-error-unknown-tool = Этого я не умею.
ai-all-branches = все филиалы
