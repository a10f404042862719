## REGOS connection
regos-private-only = Для безопасности подключайте REGOS только в личном чате со мной. Я удалил сообщение.
regos-key-deleted-warning = Это было похоже на ключ REGOS, поэтому я удалил сообщение: никогда не отправляйте ключи в группу. Если его видели другие, создайте в REGOS новый ключ.
regos-status-none = REGOS ещё не подключён.
regos-status =
    REGOS: <b>{ $status }</b>
    Ключ: { $prefix }…
    Филиалов: { $branches }
    Последняя успешная синхронизация: { $last_sync }
regos-status-ok = подключён
regos-status-failing = не отвечает
regos-status-revoked = ключ отклонён
regos-never = ещё не было
regos-ask-key =
    Вставьте ключ интеграции REGOS (32 символа). Он находится в REGOS.Online → Настройки бизнеса → Интеграции.
    Я удалю ваше сообщение сразу после прочтения и сохраню ключ в зашифрованном виде.
regos-checking = Проверяю ключ в REGOS…
regos-connected = ✅ REGOS подключён: найдено филиалов — { $branches }. Отправьте /sync, чтобы загрузить продажи сейчас; дальше я синхронизирую каждый час сам.
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
sync-progress = ⏳ Синхронизация: день { $day } из { $days }, чеков: { $receipts }, { $elapsed } с
sync-done =
    ✅ Синхронизация завершена за { $elapsed } с: дней — { $days }, чеков — { $receipts } (новых — { $inserted }, обновлённых — { $updated }).
    Чистые продажи { $net }.
sync-reconcile-ok = Итоги совпадают с отчётом REGOS.
sync-reconcile-mismatch = ⚠️ Итоги расходятся с отчётом REGOS за { $dates }. Проверю снова при следующей синхронизации.
sync-skipped = Пропущено записей с неполными данными: { $count }.
sync-failed = ❌ Синхронизация остановлена: REGOS не отвечает. Уже загруженные данные сохранены; догоню при следующем запуске.
sync-busy = Синхронизация этой компании уже идёт. Дождитесь её завершения.
sync-alert-down = ⚠️ REGOS не отвечает для компании { $company } с { $since }. Продажи догрузятся автоматически, когда он вернётся.
sync-alert-recovered = ✅ REGOS снова отвечает для компании { $company }; продажи актуальны.
cmd-regos = подключить REGOS
cmd-sync = синхронизировать продажи сейчас
error-branch-name = Название филиала — от 1 до 128 символов. Попробуйте ещё раз.
error-regos-not-connected = REGOS не подключён. Владелец может подключить его командой /regos.
regos-rate-limited = ❌ REGOS сейчас сообщает о слишком частых запросах. Ничего не изменено; попробуйте через минуту.
regos-key-outside-flow = Это похоже на ключ REGOS, поэтому я удалил сообщение ради безопасности. Чтобы подключить REGOS, сначала отправьте /regos.
regos-webhook-url = Для мгновенных обновлений добавьте в REGOS этот адрес вебхука (события DocChequeClosed, DocChequeCanceled, DocWholeSale*): { $url }
btn-regos-employees = Сотрудники
regos-employees-title = Сотрудники из REGOS. Нажмите на сотрудника, чтобы связать его с участником компании (его продажи станут видны ему в боте).
regos-employee-choose-member = Кто в боте — { $name }?
btn-employee-unlink = Никто
regos-employee-linked = Сотрудник REGOS { $name } теперь связан с участником { $member }.
regos-employee-unlinked = Сотрудник REGOS { $name } больше ни с кем не связан.
regos-no-employees = Сотрудников пока нет: они появятся из REGOS после подключения.
