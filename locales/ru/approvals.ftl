## Карточки запросов (services/approvals)
approval-status-pending = ⏳ Ждёт решения.
approval-status-approved = ✅ Одобрено: { $name }, { $when }.
approval-status-rejected = ❌ Отклонено: { $name }, { $when }. Причина: { $reason }
approval-status-withdrawn = ↩️ Отозвано: { $name }, { $when }.
approval-card-asked = Автор запроса: { $name }, { $when }
approval-card-gone = Запрос №{ $id }: то, что в нём просили, уже удалено.
approval-header-reminder = ⏰ Напоминание: это ждёт вашего решения уже { $hours } { $hours ->
    [one] час
    [few] часа
   *[other] часов
}.
approval-header-escalation = ⚠️ Передано вам: за { $hours } { $hours ->
    [one] час
    [few] часа
   *[other] часов
} решения так никто и не принял.
btn-approval-approve = ✅ Одобрить
btn-approval-reject = ❌ Отклонить
btn-approval-attachment = 📎 Чек
btn-approval-withdraw = ↩️ Отозвать запрос
approval-told-approved = ✅ { $title }: одобрено ({ $name }).
approval-told-rejected = ❌ { $title }: отклонено ({ $name }). Причина: { $reason }

## Решение
approval-done-approved = Одобрено.
approval-done-rejected = Отклонено. Автору запроса сообщена причина.
approval-done-withdrawn = Запрос отозван.
approval-ask-reason = Почему вы отклоняете запрос «{ $title }»? Напишите причину одним сообщением — её прочтёт автор запроса. /cancel — оставить запрос ждать.
approval-reason-needed = Напишите причину текстом: её прочтёт автор запроса.
approval-reason-too-long = Слишком длинная причина: не более { $limit } символов.
approval-already-approved = Решение уже принято: одобрено ({ $name }, { $when }).
approval-already-rejected = Решение уже принято: отклонено ({ $name }, { $when }).
approval-already-withdrawn = Этот запрос уже отозван ({ $name }, { $when }).
approval-not-found = Такого запроса нет, или он не относится к вашей компании.
approval-object-gone = Того, о чём был запрос, больше нет; ничего не изменено.
approval-refused-role = Этот запрос решаете не вы. Его решают: { $roles }.
approval-refused-own = Свой собственный запрос решать нельзя: его решает тот, кто выше вас.
approval-refused-branch = Этот запрос относится к филиалу, с которым вы не работаете.
approval-refused-limit = Сумма больше той, что может одобрить ваша роль; решает владелец.
approval-withdraw-not-yours = Отозвать запрос может только его автор.
approval-no-attachment = К этому запросу ничего не приложено.

## /approvals
cmd-approvals = запросы, которые ждут вашего решения
approvals-title = { $count ->
    [one] Вашего решения ждёт <b>{ $count } запрос</b>, сначала самые давние:
    [few] Вашего решения ждут <b>{ $count } запроса</b>, сначала самые давние:
   *[other] Вашего решения ждут <b>{ $count } запросов</b>, сначала самые давние:
}
approvals-empty = Вашего решения сейчас ничего не ждёт.
approvals-page = Страница { $page } из { $pages }

## Main menu
menu-approvals = ✅ Одобрения
