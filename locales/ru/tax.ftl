## Налоговые отчёты (/tax, services/tax)
cmd-tax = налоги: НДС или налог с оборота, НДФЛ и социальный налог, налог на прибыль, сроки
tax-pick-period = За какой месяц налоги? Прошлый месяц — { $last }.
tax-btn-last-month = Прошлый месяц
tax-btn-month-before = Позапрошлый
tax-btn-type-month = Другой месяц…
tax-type-month = Пришлите месяц как ГГГГ-ММ, например 2026-10.
tax-card-head = <b>Налоги — { $company }</b>, { $period }
tax-card-tin = ИНН: { $tin }
tax-card-regime = Режим: { $regime }
tax-card-status = Статус: { $status }
tax-card-sales = Продажи: { $revenue } (возвраты { $returns })
tax-card-no-sales = Продажи: цифр нет — { $days ->
    [one] { $days } день не загружен
    [few] { $days } дня не загружены
   *[other] { $days } дней не загружены
} ({ $ranges }). Запустите /sync и откройте отчёт снова.
tax-card-tax = { $name }: { $amount } (база { $base }, { $rate }%)
tax-card-tax-missing = { $name }: цифры нет — { $reason }
tax-card-vat-detail = начислено { $output } − к зачёту { $input } − перенесено { $carried }; переносится { $forward }
tax-card-estimate = (оценка)
tax-card-total = <b>К уплате: { $amount }</b>
tax-card-deadlines = Сроки:
tax-card-deadline = • { $report }: { $date }
tax-card-warnings = Замечания:
tax-btn-xlsx = Excel
tax-btn-pdf = PDF
tax-btn-recompute = Пересчитать
tax-btn-submit = Готов (на утверждение)
tax-btn-filed = Загружен в my.soliq.uz
tax-submitted = Отправлено на утверждение
tax-doc-caption = Налоговый отчёт { $period }
tax-reminder = ⏰ { $company }: { $report } за { $period } — срок { $deadline } ({ $days ->
    [0] сегодня
    [one] через { $days } день
    [few] через { $days } дня
   *[other] через { $days } дней
}). Отчёт ещё не отмечен как сданный: /tax
tax-error-period-invalid = «{ $value }» — не месяц: напишите ГГГГ-ММ, например 2026-10.
tax-error-future = { $period } ещё не начался: отчёт составляется за начавшийся месяц.
tax-error-before-company = { $period } раньше начала налогового режима компании ({ $start }). Оператор задаёт более ранний режим командой python -m bot tax regime.
tax-error-rate-missing = Нет ставки { $code } на { $day }: добавьте её в таблицу ставок.
tax-error-not-found = Этого налогового отчёта больше нет.
tax-error-frozen = Отчёт в статусе «{ $status }» и больше не меняется.
tax-error-incomplete = Отчёт нельзя отметить готовым: ещё нет цифры для { $taxes }.
tax-missing-days = { $days ->
    [one] { $days } день продаж не загружен
    [few] { $days } дня продаж не загружены
   *[other] { $days } дней продаж не загружены
}: запустите /sync (владелец или менеджер) и откройте отчёт снова.
tax-missing-payroll-none = Нет зарплаты за { $month }: подготовьте её в /payroll и получите утверждение владельца.
tax-missing-payroll-open = Зарплата за { $month } ещё не утверждена: отправьте её в /payroll на утверждение владельцу.
tax-missing-payroll-quarter = Для налога на прибыль нужна утверждённая зарплата за { $months }.
tax-missing-cost = Себестоимость неизвестна за { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[other] { $days } дней
} (REGOS не прислал валовую прибыль): оценка прибыли не показана.
tax-warn-partial-start = Налоговый режим компании начинается { $start }: более ранние дни не учитываются.
tax-warn-regime-split = Режим меняется { $day }: месяц разделён, каждая часть — по своему режиму.
tax-warn-preliminary = Месяц не закончился: предварительные цифры.
tax-warn-paper-vat = НДС { $amount } только по бумажным документам: к зачёту не принимается, пока не сопоставлены электронные счета-фактуры.
tax-warn-purchase-no-vat = { $count ->
    [one] У { $count } подтверждённой закупки
   *[other] У { $count } подтверждённых закупок
} нет данных об НДС: дополните их, чтобы учесть НДС.
tax-warn-no-carry = Нет отчёта за { $month }: НДС из него не переносится.
tax-warn-threshold-exceeded = Выручка этого года превысила порог НДС в { $month }: общий режим (НДС и налог на прибыль) применяется с { $general }.
tax-warn-threshold-near = Выручка этого года { $revenue } приближается к порогу НДС { $threshold }.
tax-regime-vat = плательщик НДС (НДС и налог на прибыль)
tax-regime-turnover = налог с оборота
tax-regime-mixed = режим сменился в этом месяце
tax-status-draft = черновик
tax-status-pending = ждёт утверждения
tax-status-ready = готов к сдаче
tax-status-filed = сдан
tax-name-vat = НДС
tax-name-turnover = Налог с оборота
tax-name-pit = НДФЛ
tax-name-social = Социальный налог
tax-name-profit = Налог на прибыль
tax-fact-period = Месяц
tax-fact-regime = Режим
tax-fact-total = К уплате
tax-approval-title = Налоговый отчёт { $period }
tax-deadline-pit_social = НДФЛ и социальный налог
tax-deadline-turnover = налог с оборота
tax-deadline-vat = НДС
tax-deadline-profit = налог на прибыль
tax-deadline-pit_social_annual = годовой НДФЛ и социальный налог
tax-doc-title = Налоговые расчёты (черновик)
tax-doc-company = Налогоплательщик: { $name }, ИНН { $tin }
tax-doc-period = Период: { $period } ({ $first } – { $last })
tax-doc-regime = Режим: { $regime }
tax-doc-status = Статус: { $status }
tax-doc-draft-note = Подготовлено Smart Savdo по данным компании; проверьте перед сдачей в my.soliq.uz.
tax-form-vat = Расчёт НДС
tax-form-turnover = Расчёт налога с оборота
tax-form-payroll = Расчёт НДФЛ и социального налога
tax-form-profit = Налог на прибыль, квартал (оценка)
tax-line-rate = Ставка
tax-line-vat-retail = Розничные продажи по основной ставке, с НДС
tax-line-vat-wholesale = Опт, с НДС
tax-line-vat-zero = Продажи по нулевой ставке
tax-line-vat-exempt = Освобождённые продажи
tax-line-vat-output = НДС начисленный
tax-line-vat-input = НДС к зачёту по принятым электронным счетам-фактурам
tax-line-vat-paper = НДС по бумажным документам (не к зачёту)
tax-line-vat-carried-in = НДС, перенесённый с прошлого месяца
tax-line-vat-payable = НДС к уплате
tax-line-vat-carried-out = НДС, переносимый на следующий месяц
tax-line-turnover-gross = Розничные продажи
tax-line-turnover-returns = Возвраты
tax-line-turnover-wholesale = Опт
tax-line-turnover-base = Налоговая база (выручка за вычетом возвратов)
tax-line-turnover-amount = Налог с оборота
tax-line-payroll-fund = Фонд оплаты труда (начислено)
tax-line-pit = НДФЛ
tax-line-inps = в т. ч. ИНПС
tax-line-pit-budget = НДФЛ в бюджет
tax-line-social = Социальный налог
tax-line-profit-revenue = Выручка
tax-line-profit-revenue-net = Выручка без НДС
tax-line-profit-cost = Себестоимость проданных товаров
tax-line-profit-expenses = Утверждённые расходы
tax-line-profit-payroll = Зарплата
tax-line-profit-social = Социальный налог
tax-line-profit-base = Прибыль (оценка)
tax-line-profit-amount = Налог на прибыль (оценка)
tax-no-data = нет данных
tax-warnings = Замечания
tax-sheet-report = Отчёт
tax-sheet-sales = Продажи по дням
tax-sheet-purchases = Закупки
tax-sheet-payroll = Зарплата
tax-col-code = Строка
tax-col-line = Показатель
tax-col-amount = Сумма
tax-col-day = Дата
tax-col-receipts = Чеки
tax-col-retail-net = Розница нетто
tax-col-missing = Не загружено
tax-col-purchase = Закупка
tax-col-supplier = Поставщик
tax-col-tin = ИНН
tax-col-number = Номер
tax-col-total = Итого
tax-col-vat = НДС
tax-col-claim = Документ НДС
tax-col-credited = К зачёту
tax-col-run = Расчёт зарплаты
tax-col-version = Версия
tax-col-employees = Сотрудники
tax-claim-paper = бумажный
tax-claim-e_invoice = электронный счёт-фактура
tax-claim-none = без НДС
tax-yes = да
tax-no = нет
tax-btn-einvoices = Реестр электронных счетов-фактур (Excel)
tax-einv-send = Пришлите реестр полученных электронных счетов-фактур из Didox, Faktura.uz или my.soliq.uz (.xlsx или .csv).
tax-einv-error-file = Не удалось прочитать реестр { $name }: пришлите .xlsx или .csv в том виде, в каком его выгрузил оператор (в каждой строке ИНН продавца из 9 цифр, номер и дата).
tax-einv-error-columns = В реестре нужны столбцы ИНН продавца, номер и дата; его столбцы: { $found }. Ничего не загружено.
tax-einv-error-buyer = Строка { $row } — счёт-фактура другого покупателя (ИНН { $tin }): реестр не этой компании. Ничего не загружено.
tax-einv-result = Прочитано счетов-фактур: { $rows }, сопоставлено с закупками: { $matched }.
tax-einv-unmatched = Счета-фактуры без закупки: { $count }
tax-einv-no-einvoice = Закупки без электронного счёта-фактуры (НДС не к зачёту): { $count }
tax-einv-not-accepted = Не подписаны или не приняты, пропущены: { $count }
tax-error-submission = Сервис приёма не принял отчёт ({ $problem }): попробуйте позже или загрузите его в my.soliq.uz сами.
tax-card-see-notes = см. замечания ниже
tax-status-filing = загружен, ждёт подтверждения сдачи владельцем
tax-filing-sent = Отправлено владельцу для подтверждения сдачи
tax-filing-title = Налоговый отчёт { $period } загружен в my.soliq.uz: подтвердите сдачу
tax-fact-submission = Номер отправки
tax-line-vat-wholesale-on-top = Опт, НДС сверху (сумма без НДС)
tax-line-vat-wholesale-no-vat = Опт без НДС
tax-line-vat-other-rates = Розничные продажи по другим ставкам, с НДС
tax-warn-wholesale-vat-unknown = У опта на { $amount } нет типа расчёта НДС из REGOS (загружен до того, как он сохранялся): считается с НДС в цене. Синхронизируйте месяц заново (/sync), чтобы прочитать его.
tax-warn-wholesale-no-vat = Оптовые документы на { $amount } в REGOS без НДС: НДС с них не начисляется. Проверьте, что они по нулевой ставке или освобождены.
tax-warn-item-rate = Товары, проданные на { $amount }, имеют в REGOS ставку НДС { $rate }% вместо основной: их НДС считается по { $rate }%. Исправьте REGOS или задайте их класс командой tax item-vat.
