## Отчёты о продажах: /today, /sales, выгрузки
cmd-today = продажи за сегодня
cmd-sales = отчёт о продажах за период

report-choose-period = 📊 Отчёт о продажах. Выберите период:
report-btn-today = Сегодня
report-btn-yesterday = Вчера
report-btn-this-week = Эта неделя
report-btn-last-week = Прошлая неделя
report-btn-this-month = Этот месяц
report-btn-last-month = Прошлый месяц
report-btn-custom = 📅 Другие даты
report-ask-dates =
    Отправьте даты: один день (22.11.2026, 2026-11-22, 22 ноября) или период (1.11-15.11, 2026-11-01 2026-11-15, с 1 по 15 ноября).
    /cancel — отменить.
report-choose-branch = Период: { $period }. Какие филиалы?
report-btn-all-branches = Все филиалы
report-building = ⏳ Готовлю отчёт за { $period }…
report-preparing-file = Готовлю файл…
report-long-range-file = Период длиной { $days } дн. Больше года в чате не прочитать, поэтому отчёт пришёл файлом Excel.
report-no-data =
    В <b>{ $company }</b> пока нет продаж.
    Подключите кассы REGOS командой /regos: продажи появятся здесь после первой синхронизации.
report-no-data-connected =
    REGOS подключён, но продажи <b>{ $company }</b> ещё не синхронизированы.
    Запустите /sync или дождитесь плановой синхронизации.
report-error-branch = Этот филиал вам недоступен.
report-btn-xlsx = 📗 Excel
report-btn-pdf = 📕 PDF
report-btn-csv = 📄 CSV
report-file-caption = 📊 { $company } · { $period } · { $scope }

## Даты, введённые вручную
report-error-date-format = Не удалось прочитать «{ $value }» как дату. Примеры: 22.11.2026, 2026-11-22, 22 ноября или период 1.11-15.11.
report-error-date-nonexistent = Такой даты нет: { $value }. Проверьте день и месяц.
report-error-range-reversed = Период заканчивается ({ $last }) раньше, чем начинается ({ $first }). Сначала укажите более раннюю дату.
report-error-future = { $value } ещё не наступило. Укажите дату не позже сегодняшней.
report-error-range-too-long = Слишком длинный период: не более { $days } { $days ->
    [one] дня
   *[other] дней
}.

## Сообщение с отчётом
report-title = 📊 <b>Продажи — { $company }</b>
report-period = 🗓 { $period } ({ $timezone }) · { $scope }
report-compared = По сравнению с { $period }
report-scope-all = все филиалы
report-scope-none = нет филиалов
report-net = 💰 Чистые продажи: <b>{ $amount }</b> { $change }
report-retail = 🛒 Розница: { $amount } { $change }
report-wholesale = 📦 Опт: { $amount } { $change }
report-returns = ↩️ Возвраты: { $amount } ({ $count }) { $change }
report-receipts = 🧾 Чеки: { $count } { $change }
report-average = 💳 Средний чек: { $amount } { $change }
report-empty-period = За этот период продаж нет.
report-previous-net = Предыдущий период: { $amount }
report-section-payments = <b>По типам оплаты</b>
report-section-branches = <b>По филиалам</b>
report-section-products = <b>Топ товаров</b>
report-section-sellers = <b>Лучшие продавцы</b>
report-row = { $name }: { $amount } { $change }
report-product-row = { $rank }. { $name } — { $amount } · { $quantity } { $unit } { $change }
report-seller-row = { $rank }. { $name } — { $amount } (чеков: { $receipts }) { $change }
report-branch-unassigned = без филиала
report-chart-title = Чистые продажи по дням
report-chart-caption = 📈 Чистые продажи по дням и филиалам, { $period }

## Файлы
report-export-title = Отчёт о продажах
report-sheet-summary = Итоги
report-sheet-days = По дням
report-sheet-branches = По филиалам
report-sheet-payments = По типам оплаты
report-sheet-products = Топ товаров
report-sheet-sellers = Лучшие продавцы
report-col-figure = Показатель
report-col-current = Этот период
report-col-previous = Прошлый период
report-col-change = Изменение
report-col-date = Дата
report-col-total = Итого
report-col-branch = Филиал
report-col-payment-type = Тип оплаты
report-col-sales = Продажи
report-col-refunds = Возвраты
report-col-net = Чистыми
report-col-rank = №
report-col-product = Товар
report-col-unit = Ед.
report-col-quantity = Количество
report-col-amount = Сумма
report-col-seller = Продавец
report-col-company = Компания
report-col-period = Период
report-col-compared = Сравнение с
report-col-branches = Филиалы
report-col-timezone = Часовой пояс
report-col-generated = Сформирован
report-figure-net-sales = Чистые продажи
report-figure-retail-gross = Розничные продажи
report-figure-retail-returns = Розничные возвраты
report-figure-retail-net = Розница, нетто
report-figure-wholesale-gross = Оптовые продажи
report-figure-wholesale-returns = Оптовые возвраты
report-figure-wholesale-net = Опт чистыми
report-figure-receipts = Чеки
report-figure-return-receipts = Чеки возврата
report-figure-wholesale-docs = Оптовые документы
report-figure-wholesale-return-docs = Оптовые возвраты (документы)
report-figure-average-receipt = Средний чек

# Не загруженные дни — не нули (задача 11, пункт 1).
report-missing-days = ⚠️ { $count ->
    [one] { $count } день этого периода ещё не загружен
    [few] { $count } дня этого периода ещё не загружены
   *[many] { $count } дней этого периода ещё не загружены
} ({ $days }): в цифрах ниже их нет, изменения не показаны. Загрузите их командой /sync.
report-missing-days-compared = ⚠️ В периоде сравнения нет данных за { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
} ({ $days }), поэтому изменения не показаны: их пришлось бы считать по неполному периоду.

report-empty-imported = За { $count ->
    [one] { $count } загруженный день
    [few] { $count } загруженных дня
   *[many] { $count } загруженных дней
} продаж нет.
report-btn-import-days = 📥 Загрузить недостающие дни

## Утверждённые расходы (issue 12)
report-section-expenses = <b>Утверждённые расходы</b>
report-expense-row = { $name }: { $amount } ({ $count })
report-expenses-total = Всего расходов: { $amount } ({ $count ->
    [one] { $count } расход
    [few] { $count } расхода
   *[many] { $count } расходов
})
report-net-after-expenses = 🧮 Чистые продажи за вычетом расходов: <b>{ $amount }</b>
report-sheet-expenses = Расходы
report-col-category = Категория
report-col-count = Количество
report-figure-expenses = Утверждённые расходы
report-figure-net-after-expenses = Чистые продажи за вычетом расходов
report-day-missing = не загружен
report-missing-note = Незагруженные дни: { $days }. Они отмечены «не загружен», а не посчитаны как ноль.
report-chart-gaps = Пропуски: { $count ->
    [one] { $count } день не загружен
    [few] { $count } дня не загружены
   *[many] { $count } дней не загружены
} ({ $days }).

## /mysales: незагруженные дни
mysales-today-missing = Сегодня: ещё не загружено, ваши продажи появятся после следующей синхронизации
mysales-month-missing = ⚠️ { $count ->
    [one] { $count } день этого месяца ещё не загружен
    [few] { $count } дня этого месяца ещё не загружены
   *[many] { $count } дней этого месяца ещё не загружены
} ({ $days }): в цифре за месяц их нет.
