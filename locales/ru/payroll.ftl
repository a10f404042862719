## Зарплата: ведомость и расчётные листки (services/payroll/render.py)
payroll-register-title = Расчётная ведомость
payroll-payslip-title = Расчётный листок
payroll-month = Месяц
payroll-version = Версия { $version }
payroll-kind-monthly = Зарплата
payroll-kind-advance = Аванс
payroll-status-draft = черновик
payroll-status-pending_approval = ждёт утверждения
payroll-status-approved = утверждена
payroll-status-paid = выплачена
payroll-total = Итого
payroll-col-name = Сотрудник
payroll-col-regos-user = Пользователь REGOS
payroll-col-days = Дни
payroll-col-base = Оклад
payroll-col-retail-sales = Розничные продажи
payroll-col-retail-commission = Процент с розницы
payroll-col-wholesale-sales = Оптовые продажи
payroll-col-wholesale-commission = Процент с опта
payroll-col-bonus = Премия
payroll-col-deductions = Удержания
payroll-col-gross = Начислено
payroll-col-pit = НДФЛ 12%
payroll-col-pit-budget = в т.ч. в бюджет
payroll-col-inps = в т.ч. ИНПС
payroll-col-advance = Выплаченный аванс
payroll-col-net = К выплате
payroll-col-social-tax = Социальный налог
payroll-col-employer-cost = Расходы работодателя
payroll-col-warnings = Предупреждения
payroll-col-previous-net = Ранее к выплате
payroll-col-difference = Разница
payroll-days-worked = Отработано дней: { $days } из { $total }
payroll-accrued = Начислено
payroll-withheld = Удержано
payroll-to-pay = К выплате
payroll-plan-bonus = Премия за план
payroll-manual-bonus = Премия: { $reason }
payroll-manual-penalty = Штраф: { $reason }
payroll-manual-deduction = Удержание: { $reason }
payroll-missing-days = Дни, не загруженные из REGOS: { $days }
payroll-days-to-come = Дней месяца впереди: { $count }
payroll-not-connected = REGOS не подключён: проценты с продаж посчитать нельзя.
payroll-warning-no-regos-user = Сотрудник не связан с пользователем REGOS: процент с розницы 0.
payroll-warning-no-regos-user-wholesale = Сотруднику не сопоставлен пользователь REGOS: процент с опта 0.
payroll-warning-plan-unknown = Продажи для плана неизвестны: премии за план нет.
payroll-warning-negative-sales = Возвратов в этом месяце больше, чем продаж: процента с розницы нет.
payroll-warning-below-mrot = Начислено меньше МРОТ за отработанные дни ({ $floor }).
payroll-warning-negative-net = Сумма к выплате отрицательная: ничего не выплачивается, пока это не решено.
payroll-warning-sales-incomplete = Не все дни загружены: процент посчитан только по загруженным дням.
error-payroll = Зарплата: действие отклонено.
error-payroll-invalid = { $field }: { $problem }
error-payroll-employee-not-found = В этой компании нет такого сотрудника.
error-payroll-run-not-found = В этой компании нет такой ведомости.
error-payroll-run-frozen = Ведомость за { $month } (версия { $version }) уже { $status ->
    [pending_approval] ждёт утверждения
    [approved] утверждена
    [paid] выплачена
   *[draft] черновик
}: её нельзя менять. Сделайте корректировку.
error-payroll-run-state = Состояние ведомости сейчас: { $status ->
    [pending_approval] ждёт утверждения
    [approved] утверждена
    [paid] выплачена
   *[draft] черновик
}, это действие невозможно.
error-payroll-open-run = У ведомости за { $month } уже есть открытая версия ({ $version }): сначала завершите её.
error-payroll-negative-net = У { $count } { $count ->
    [one] сотрудника
   *[other] сотрудников
} сумма к выплате отрицательная. Исправьте строки или утвердите осознанно.
error-payroll-rate-missing = Нет ставки для расчёта зарплаты ({ $codes }) на { $day }.
error-payroll-month-invalid = Напишите месяц как ГГГГ-ММ, например 2026-11.
error-payroll-file-invalid =
    Файл не загружен: проблем — { $count }.
    { $problems }

## Payroll in the bot (handlers/payroll.py, services/payroll/approval.py)
cmd-payroll = зарплата: черновики, утверждение, расчётные листы
cmd-payslips = мои расчётные листы
payroll-pick-month = Зарплата за какой месяц? Этот месяц — { $this }, прошлый — { $last }; или напишите ГГГГ-ММ.
payroll-btn-this-month = Этот месяц
payroll-btn-last-month = Прошлый месяц
payroll-btn-type-month = Ввести месяц
payroll-type-month = Напишите месяц как ГГГГ-ММ, например 2026-11.
payroll-card-head = <b>Зарплата — { $company } — { $month }</b>
payroll-card-totals =
    { $employees ->
        [one] { $employees } сотрудник
        [few] { $employees } сотрудника
       *[other] { $employees } сотрудников
    }
    Начислено: { $gross }
    НДФЛ: { $pit }
    К выплате: { $net }
    Социальный налог: { $social }
    Затраты работодателя: { $cost }
payroll-card-difference = Выплачено ранее: { $previous }; разница: { $difference }
payroll-card-warnings = <b>Предупреждения</b>
payroll-card-more = …и ещё { $count } (см. ведомость).
payroll-card-delivered = Расчётные листы: в Telegram — { $telegram }, по SMS — { $sms }; недоступны — { $unreachable }.
payroll-btn-register = Ведомость (Excel)
payroll-btn-submit = На утверждение
payroll-btn-recompute = Пересчитать
payroll-btn-approve = Утвердить
payroll-btn-paid = Выплачено
payroll-btn-correct = Корректировка
payroll-submitted = Отправлено на утверждение.
payroll-register-caption = Зарплатная ведомость, { $month }, версия { $version }
payroll-file-too-big = Файл слишком большой (не больше 2 МБ).
payroll-imported = Схемы оплаты загружены с { $month }: строк — { $rows }, новых сотрудников — { $created }, обновлено — { $updated }.
payroll-card-title = Зарплата за { $month }
payroll-fact-month = Месяц
payroll-fact-version = Версия
payroll-fact-employees = Сотрудники
payroll-sms = { $company }: зарплата за { $month }, к выплате { $net }.
payslips-not-linked = Вы ещё не привязаны к сотруднику этой компании: обратитесь к владельцу.
payslips-none = Утверждённых расчётных листов пока нет.

## Payroll: editing a draft, advances, sync (handlers/payroll_edit.py)
menu-payroll = 💼 Зарплата
payroll-btn-advance = Аванс за этот месяц
payroll-btn-edit = ✏️ Изменить строки
payroll-btn-sync = 🔄 Загрузить недостающие дни
payroll-btn-back = ⬅️ Назад
payroll-btn-prev = ◀️ Назад
payroll-btn-next = Дальше ▶️
payroll-edit-pick = Чьи строки? { $title }, версия { $version } (черновик).
payroll-employee-card =
    <b>{ $name }</b> — { $title }
    Отработано дней: { $days } из { $total }
    Начислено: { $gross }
    К выплате: { $net }
payroll-employee-manual = Ручные строки:
payroll-employee-no-manual = Ручных строк в этом месяце нет.
payroll-employee-off-run = Не входит в эту ведомость (нет схемы оплаты на месяц).
payroll-btn-days = 📅 Отработанные дни
payroll-btn-add-bonus = ➕ Премия
payroll-btn-add-penalty = ➖ Штраф
payroll-btn-add-deduction = ➖ Удержание
payroll-btn-add-advance = 💵 Выданный аванс
payroll-btn-remove = ❌ { $line }
payroll-line-bonus = Премия
payroll-line-penalty = Штраф
payroll-line-deduction = Удержание
payroll-line-advance = Выданный аванс
payroll-manual-advance = Выданный аванс: { $reason }
payroll-ask-days = Сколько дней { $name } отработал(а) в { $month }? Отправьте целое число от 0 до { $most }.
payroll-ask-amount = { $line } для { $name }: отправьте сумму, например 500 000, 500к или 1,5 млн.
payroll-ask-reason = { $line } на { $amount }: теперь отправьте причину в нескольких словах.
payroll-line-saved = Сохранено. Черновик пересчитан.
payroll-line-removed = Строка удалена, черновик пересчитан.
payroll-sync-nothing = Все дни { $month } по сегодняшний уже загружены.
payroll-sync-busy = Для этой компании уже идёт загрузка; попробуйте через минуту.
error-payroll-days = Отработанные дни — целое число от 0 до { $most }.
error-payroll-reason = Напишите причину в нескольких словах (не больше 200 символов).
error-payroll-step-over = Этот шаг завершён. Откройте /payroll заново.
