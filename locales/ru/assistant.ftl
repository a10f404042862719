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
cmd-forecast = прогноз продаж
cmd-advice = советы: дозаказ, залежавшийся товар, кто отстаёт
cmd-ailog = журнал помощника и оценки
ai-payments = 💳 <b>По типам оплаты, { $period }</b>
ai-payments-total = Вместе: <b>{ $total }</b> из { $net } чистых продаж
ai-expenses = 🧾 <b>Расходы, { $period }</b>: { $count ->
        [one] { $count } утверждён
        [few] { $count } утверждено
       *[many] { $count } утверждено
    }, { $amount }
ai-expenses-pending = ⏳ Ждут утверждения: { $count ->
        [one] { $count } расход
        [few] { $count } расхода
       *[many] { $count } расходов
    }, { $amount }
ai-cash = 💵 <b>В кассах сейчас: { $total }</b>
ai-payroll = 💼 <b>Зарплата, { $month }</b> ({ $status }): { $employees ->
        [one] { $employees } сотрудник
        [few] { $employees } сотрудника
       *[many] { $employees } сотрудников
    }
    Начислено: { $gross } · к выплате: <b>{ $net }</b>
    НДФЛ: { $pit } · социальный налог: { $social }
    Комиссии: { $commissions }
ai-payroll-status-draft = черновик
ai-payroll-status-pending-approval = ждёт утверждения
ai-payroll-status-approved = утверждена
ai-payroll-status-paid = выплачена
ai-forecast = 📈 <b>Прогноз, { $target }, { $period }</b>
    Скорее всего от <b>{ $low }</b> до <b>{ $high }</b> (около { $point })
ai-forecast-row = • { $day }: { $low } – { $high }
ai-forecast-method-holt-winters = Хольт-Винтерс с недельной сезонностью, по истории за { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }; диапазон верен 8 раз из 10.
ai-forecast-method-holt = Затухающий тренд (для недельной сезонности мало истории), по истории за { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }; диапазон верен 8 раз из 10.
ai-forecast-backtest = Ошибка на отложенной последней неделе: { $error }%
ai-forecast-filled = { $days ->
        [one] { $days } незагруженный день заполнен по тому же дню недели.
        [few] { $days } незагруженных дня заполнены по тому же дню недели.
       *[many] { $days } незагруженных дней заполнены по тому же дню недели.
    }
ai-forecast-short = Мало истории для прогноза: загружено { $have ->
        [one] { $have } день
        [few] { $have } дня
       *[many] { $have } дней
    }, нужно не меньше { $need }.
ai-advice = 💡 <b>Советы</b> (спрос за последние { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    })
ai-advice-reorder = 🛒 <b>Дозаказать</b> (поставка { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }):
ai-advice-reorder-row = • { $name }: в наличии { $on_hand } { $unit }, { $daily } в день → заказать около { $order }
ai-advice-dead = 💤 <b>Лежит без продаж { $days ->
        [one] { $days } день
        [few] { $days } дня
       *[many] { $days } дней
    }</b>:
ai-advice-overstock = 📦 <b>Затоварено</b> (запас больше чем на 90 дней):
ai-advice-overstock-row = • { $name }: хватит на { $days } дн.
ai-advice-branches = 📉 <b>Филиалы отстают от прошлой недели</b>:
ai-advice-sellers = 📉 <b>Продавцы отстают от прошлой недели</b>:
ai-advice-behind-row = • { $name }: { $net } против { $before } (−{ $drop }%)
ai-advice-returns = ↩️ Возвраты на этой неделе — { $share }% продаж ({ $amount }), обычно { $usual }%.
ai-advice-none = Сейчас ничего не требует внимания.
ai-model-fallback = ℹ️ Модель не ответила как следует, поэтому это офлайн-ответ.
ai-quota-spent = ℹ️ Дневной лимит модели исчерпан, поэтому это офлайн-ответ.
ai-error-unknown-product = Такого товара нет в каталоге.
ai-error-payroll-scope = Зарплата — по всей компании: тем, кто видит только часть филиалов, она не показывается.
ai-feedback-up = 👍
ai-feedback-down = 👎
ai-feedback-thanks = Спасибо за оценку.
ai-feedback-why = Что было не так?
ai-reason-wrong = Неверная цифра
ai-reason-misunderstood = Не понял вопрос
ai-reason-incomplete = Неполный ответ
ai-reason-other = Другое
ai-example-1 = продажи вчера
ai-example-2 = какой филиал продал меньше всех на этой неделе
ai-example-3 = топ 5 товаров за этот месяц
ai-example-4 = прогноз на 7 дней
ai-example-5 = советы
ai-log-title = 🗒 <b>Журнал помощника</b>: { $count ->
        [one] последний { $count } вопрос
        [few] последние { $count } вопроса
       *[many] последние { $count } вопросов
    } · 👍 { $up } · 👎 { $down }
ai-log-row = { $mark } <i>{ $question }</i> → { $tools } ({ $path }, { $ms } мс)
ai-log-empty = Вопросов ещё не было.
ai-forecast-usage = Прогноз по товару: /forecast название. По филиалу: /forecast филиал.
