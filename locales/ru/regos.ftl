## REGOS connection
regos-private-only = Для безопасности подключайте REGOS только в личном чате со мной. Я удалил сообщение.
regos-key-deleted-warning = Это было похоже на ключ REGOS, поэтому я удалил сообщение: никогда не отправляйте ключи в группу. Если его видели другие, создайте в REGOS новый ключ.
regos-status-none = REGOS ещё не подключён.
regos-status =
    REGOS: <b>{ $status }</b>
    Ключ: { $prefix }…
    Филиалов: { $branches }
    Последняя успешная синхронизация: { $last_sync }
regos-status-ok = подключён и работает
regos-status-failing = не отвечает; догружу продажи, когда он снова ответит
regos-status-revoked = ключ отклонён: подключите новый ключ
regos-never = ещё не было
regos-ask-key =
    Вставьте ключ интеграции REGOS (32 символа). Он находится в REGOS.Online → Настройки бизнеса → Интеграции.
    Я удалю ваше сообщение сразу после прочтения и сохраню ключ в зашифрованном виде.
regos-checking = Проверяю ключ в REGOS…
regos-connected = ✅ REGOS подключён, филиалов найдено: { $branches }. За какой срок загрузить историю продаж? Сначала загружу сегодняшний день, так что /today заработает через минуту; ботом можно пользоваться и во время загрузки. Дальше я синхронизирую каждый час сам.
regos-key-rejected = ❌ REGOS отклонил ключ (код { $code }). Проверьте, что скопированы все 32 символа, или создайте в REGOS новый ключ интеграции и вставьте его снова.
regos-no-rights = ❌ Ключ работает, но у него нет прав на { $method } (код { $code }). Дайте интеграции в REGOS доступ к продажам, складам и справочникам и вставьте ключ снова.
regos-unreachable = ❌ REGOS сейчас не отвечает. Ничего не изменено; попробуйте через несколько минут.
regos-failed = ❌ REGOS ответил ошибкой (код { $code }): { $description }. Ничего не изменено.
regos-key-format = Это не ключ интеграции: ключ состоит из 32 латинских букв и цифр. Вставьте ключ или отправьте /cancel.
btn-regos-connect = Подключить новый ключ
btn-regos-sync = Синхронизировать
btn-regos-branches = Филиалы
regos-branches-title = Филиалы из REGOS. Нажмите на филиал, чтобы переименовать.
regos-branch-ask-name = Отправьте новое название для «{ $name }»:
regos-branch-renamed = Филиал переименован: { $name }.

## Sync
sync-started = ⏳ Загружаю продажи из REGOS…
sync-started-background = ⏳ Загружаю продажи из REGOS… Ботом можно пользоваться и во время загрузки.
sync-progress = ⏳ Загружаю продажи из REGOS: прочитано чеков — { $receipts }, { $elapsed } с.
sync-done = ✅ Синхронизация завершена за { $elapsed } с.
sync-today = Сегодня, { $day }
sync-books = { $scope ->
    [branches] { $day }, ваши филиалы
   *[company] { $day }
}: { $receipts ->
    [one] { $receipts } чек
    [few] { $receipts } чека
   *[many] { $receipts } чеков
}, чистые продажи — { $net }.
sync-written = Записано из REGOS: новых документов — { $inserted }, изменённых — { $updated } (чеки, возвраты и опт вместе).
sync-written-none = С прошлой синхронизации в REGOS ничего нового.
sync-crashed = ❌ Синхронизация остановилась из-за ошибки на моей стороне. Загруженное сохранено; отправьте /sync, чтобы попробовать ещё раз.
sync-reconcile-ok = Итоги совпадают с отчётом REGOS.
sync-reconcile-mismatch = ⚠️ Итоги расходятся с отчётом REGOS за { $dates }. Проверю снова при следующей синхронизации.
sync-skipped = Пропущено записей с неполными данными: { $count }.
sync-failed = ❌ Синхронизация остановлена: { $reason }. Загруженное сохранено; следующая синхронизация догрузит остальное.
sync-busy = Синхронизация этой компании уже идёт. Дождитесь её завершения.
sync-alert-down = ⚠️ REGOS не отвечает для компании «{ $company }» с { $since }. Продажи догрузятся автоматически, когда он вернётся.
sync-alert-recovered = ✅ REGOS снова отвечает для компании «{ $company }»; продажи актуальны.
cmd-regos = подключить REGOS
cmd-sync = синхронизировать продажи сейчас
error-branch-name = Название филиала — от 1 до 128 символов. Попробуйте ещё раз.
error-regos-not-connected = REGOS не подключён. Владелец может подключить его командой /regos.
regos-rate-limited = ❌ REGOS сейчас сообщает о слишком частых запросах. Ничего не изменено; попробуйте через минуту.
regos-key-outside-flow = Это похоже на ключ REGOS, поэтому я удалил сообщение ради безопасности. Чтобы подключить REGOS, сначала отправьте /regos.
regos-webhook-url = Для мгновенных обновлений вставьте этот адрес в REGOS → Интеграции → Вебхук и отметьте события закрытия и отмены чеков и оптовых продаж: { $url }
btn-regos-employees = Сотрудники
regos-employees-title = Сотрудники из REGOS. Нажмите на сотрудника, чтобы связать его с участником компании (его продажи станут видны ему в боте).
regos-employee-choose-member = Кто в боте — { $name }?
btn-employee-unlink = Никто
regos-employee-linked = Сотрудник REGOS { $name } теперь связан с участником { $member }.
regos-employee-unlinked = Сотрудник REGOS { $name } больше ни с кем не связан.
regos-no-employees = Сотрудников пока нет: они появятся из REGOS после подключения.

## History import (first connect, /sync of a period, missing days)
btn-import-history = { $days ->
    [7] 7 дней
    [30] 30 дней
    [90] 90 дней
   *[other] Год
}
btn-import-missing = 📥 Загрузить недостающие дни
btn-import-retry = 🔁 Повторить
sync-import-started = ⏳ Загружаю из REGOS { $total ->
    [one] { $total } день
    [few] { $total } дня
   *[many] { $total } дней
}, начиная с сегодняшнего. Ботом можно пользоваться и во время загрузки.
sync-import-progress = ⏳ Загрузка из REGOS: готово { $done } из { $total ->
    [one] { $total } дня
   *[other] { $total } дней
}, прочитано чеков — { $receipts }; { $eta }.
sync-eta-unknown = оцениваю оставшееся время
sync-eta-seconds = осталось около { $seconds } с
sync-eta-minutes = осталось около { $minutes ->
    [one] { $minutes } минуты
   *[other] { $minutes } минут
}
sync-import-done = ✅ Загрузка завершена: { $days ->
    [one] { $days } день
    [few] { $days } дня
   *[many] { $days } дней
} за { $elapsed }. Чеков за эти дни в учёте: { $receipts }.
sync-import-stopped =
    ⚠️ Загрузка остановлена: { $reason }. Загружено { $done } из { $total ->
        [one] { $total } дня
       *[other] { $total } дней
    } (чеков за них в учёте: { $receipts }); загруженное сохранено.
    Ещё не загружено: { $missing }. Нажмите «Повторить», чтобы загрузить остальное.
sync-import-reason-down = REGOS не отвечает
sync-import-reason-busy = REGOS сообщает о слишком частых запросах (возможно, тем же ключом пользуется другая программа)
sync-import-reason-key = REGOS больше не принимает ключ
sync-import-crashed = ❌ Загрузка остановилась из-за ошибки на моей стороне. Загруженное сохранено; нажмите «Повторить», чтобы продолжить.
sync-import-range = { $first } – { $last }
sync-import-nothing = Все дни с { $first } по { $last } уже загружены.
sync-import-running = Загрузка из REGOS для этой компании уже идёт. Дождитесь сообщения о её завершении.
sync-import-range-too-long = За один раз можно загрузить не больше { $days ->
    [one] { $days } дня
   *[other] { $days } дней
}. Выберите период короче.
sync-hint-period = Чтобы загрузить прошлые дни, отправьте период, например: /sync 1.11-15.11
sync-took-seconds = { $seconds } с
sync-took-minutes = { $minutes ->
    [one] { $minutes } минута
    [few] { $minutes } минуты
   *[many] { $minutes } минут
}
regos-details =
    Детали чеков: <b>{ $state }</b>. Зачем: товары и оплаты каждого чека, чтобы посмотреть отдельный чек; отчётам и сводкам они не нужны. Цена: 2 запроса к REGOS на чек, в фоне, не больше { $share }% лимита ключа, поэтому загрузка продаж не замедляется.
    Чеков с деталями: { $with_details }, без деталей: { $without } (продажи и возвраты вместе).
regos-details-on = включены
regos-details-off = выключены
regos-details-left = ⏳ Загрузка деталей: { $eta }.
btn-regos-details-on = Включить детали чеков
btn-regos-details-off = Выключить детали чеков
regos-details-saved-on = Детали чеков включены
regos-details-saved-off = Детали чеков выключены
