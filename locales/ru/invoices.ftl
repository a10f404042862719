## Счета поставщиков с фото и файлов: карточка, правка, подтверждение, входящий НДС, /invoices.

cmd-invoices = закупки по счетам поставщиков: список, фильтры, Excel
menu-invoices = 📥 Счета

invoice-reading = 📄 Читаю счёт… Это займёт несколько секунд; пока можно пользоваться ботом.
invoice-reading-part = 📄 Читаю файл { $index } из { $count }…
invoice-read-failed = При чтении файла что-то пошло не так, ничего не сохранено. Пожалуйста, отправьте его ещё раз.
invoice-file-too-large = Файл больше { $limit } МБ — столько бот может скачать из Telegram. Отправьте файл поменьше: фото или PDF с меньшим разрешением. Ничего не сохранено.
invoice-file-unsupported = Я читаю счета только с фото (JPG, PNG, HEIC, WebP, TIFF) и из PDF. Ничего не сохранено.
invoice-file-corrupt = Файл повреждён или не соответствует своему имени, открыть его не удалось. Ничего не сохранено.
invoice-file-encrypted = PDF защищён паролем. Отправьте его без пароля или фото документа. Ничего не сохранено.
invoice-file-blank = Страница пустая: на ней нет текста. Отправьте чёткое фото счёта. Ничего не сохранено.
invoice-not-an-invoice = На картинке не найден счёт (нет номера, итогов или таблицы). Отправьте чёткое, хорошо освещённое фото всей страницы. Ничего не сохранено.
invoice-ocr-unavailable = Чтение счетов сейчас недоступно на сервере (не установлено распознавание). Ничего не сохранено.
invoice-download-failed = Не удалось скачать файл из Telegram. Отправьте его ещё раз.
invoice-duplicate-file = Этот же файл уже присылали: это закупка №{ $id } ({ $status ->
    [draft] черновик ждёт подтверждения
    [pending_approval] ждёт согласования
   *[other] записана
}). Ничего нового не сохранено.
invoice-duplicate-document = Этот счёт уже записан как закупка №{ $id } (тот же ИНН поставщика, номер { $number } и дата { $day }). Повторно не записан.
invoice-not-found = Такой закупки в вашей компании нет.
invoice-not-draft = Счёт больше не черновик, его нельзя править.
invoice-already-decided = Закупка №{ $id } { $status ->
    [confirmed] уже записана
    [pending_approval] уже ждёт согласования
    [discarded] отменена
   *[other] больше не черновик
}; ничего не изменено.

invoice-card-title = 🧾 <b>Счёт поставщика</b> · черновик №{ $id }
invoice-field-supplier = Поставщик
invoice-field-tin = ИНН поставщика
invoice-field-number = Номер
invoice-field-date = Дата
invoice-field-net = Без НДС
invoice-field-vat = НДС
invoice-field-total = Итого
invoice-card-lines = { $count ->
    [0] Строки не прочитаны.
    [one] Строк: { $count }
    [few] Строки ({ $count }):
   *[other] Строк ({ $count }):
}
invoice-card-more-lines = { $count ->
    [one] …и ещё { $count } строка.
    [few] …и ещё { $count } строки.
   *[other] …и ещё { $count } строк.
}
invoice-card-duplicate = Похоже на закупку №{ $id } (тот же ИНН поставщика, номер и дата): подтверждение будет отклонено.
invoice-card-unread-parts = { $count ->
    [one] { $count } файл альбома не удалось прочитать.
    [few] { $count } файла альбома не удалось прочитать.
   *[other] { $count } файлов альбома не удалось прочитать.
}
invoice-card-check-marked = ⚠️ — значение прочитано неуверенно: сверьте его с бумагой.
invoice-card-pages = { $count ->
    [one] Прочитано с { $count } страницы.
   *[other] Прочитано с { $count } страниц.
}
invoice-card-hint = Проверьте значения, исправьте через ✏️ Изменить и нажмите ✅ Подтвердить.
invoice-claim-line-paper = Входящий НДС: по бумажному документу (к зачёту — только после получения электронного счёта-фактуры).
invoice-claim-line-e_invoice = Входящий НДС: электронный счёт-фактура получен, к зачёту.
invoice-claim-line-none = В документе нет НДС.
invoice-flag-no-tin = ИНН поставщика не найден: добавьте его через «Изменить» (9 цифр).
invoice-flag-no-items = Строки не прочитаны.
invoice-flag-totals-mismatch = Сумма строк не сходится с итогом. Итог оставлен как напечатан: проверьте его.
invoice-flag-vat-mismatch = Сумма без НДС плюс НДС не равна итогу. Проверьте цифры.
invoice-flag-line-mismatch = В некоторых строках количество × цена не равно сумме.
invoice-flag-words-mismatch = Сумма прописью отличается от суммы цифрами.
invoice-flag-low-quality = Фото плохо читается; значения могут быть неверны.
invoice-flag-too-many-pages = В файле слишком много страниц: прочитаны только первые.
invoice-flag-no-total = Итог не найден: добавьте его через «Изменить».
invoice-flag-no-date = Дата не найдена: добавьте её через «Изменить».

btn-invoice-confirm = ✅ Подтвердить
btn-invoice-edit = ✏️ Изменить
btn-invoice-discard = 🗑 Отменить
btn-invoice-e-invoice = 🧾 Получен ЭСФ
btn-invoice-paper = 📄 Только бумага
btn-invoice-back = ⬅️ Назад

invoice-edit-which = Какое значение исправить?
invoice-ask-supplier = Напишите название поставщика.
invoice-ask-tin = Напишите ИНН поставщика: 9 цифр.
invoice-ask-number = Напишите номер счёта.
invoice-ask-date = Напишите дату счёта, например 13.02.2025.
invoice-ask-net = Напишите сумму без НДС, например 44 952 550.
invoice-ask-vat = Напишите сумму НДС (0, если НДС нет).
invoice-ask-total = Напишите итог с НДС, например 50 346 856.
invoice-edit-saved = ✅ Сохранено.
invoice-edit-type-it = Напишите значение текстом или /cancel.
invoice-edit-expired = Время правки истекло. Нажмите ✏️ Изменить на карточке ещё раз.
invoice-edit-bad-tin = ИНН — ровно 9 цифр и не начинается с 0, например 307500201. Напишите ещё раз.
invoice-edit-bad-date = Это не дата. Напишите, например, 13.02.2025.
invoice-edit-date-out-of-range = Дата должна быть между { $earliest } и { $today }. Напишите ещё раз.
invoice-edit-empty = Пустое значение. Напишите ещё раз.
invoice-edit-too-long = Слишком длинно: не больше { $limit } символов.
invoice-confirm-needs-total = Нет итога. Добавьте его через ✏️ Изменить и подтвердите.
invoice-confirm-needs-date = Нет даты. Добавьте её через ✏️ Изменить и подтвердите.
invoice-confirm-needs-supplier = Поставщик неизвестен. Добавьте название или ИНН через ✏️ Изменить и подтвердите.
invoice-no-vat-to-claim = В этой закупке нет НДС к зачёту.

invoice-recorded = ✅ Закупка №{ $id } записана: { $total }.
invoice-pending = ⏳ Закупка №{ $id } ({ $total }) выше порога и ждёт согласования.
invoice-recorded-supplier = Поставщик: { $name } (ИНН { $tin }).
invoice-recorded-supplier-new = Добавлен новый поставщик: { $name } (ИНН { $tin }).
invoice-recorded-lines = Строк: { $count }, сопоставлено с товарами REGOS: { $matched }.
invoice-recorded-unmatched = Не сопоставлены: { $names }{ $more ->
    [0] {""}
   *[other] {" "}(+{ $more })
}.
invoice-recorded-vat-paper = Входящий НДС { $vat }: по бумажному документу; в налоговом отчёте он учтётся после получения ЭСФ.
invoice-recorded-vat-e_invoice = Входящий НДС { $vat }: ЭСФ получен, к зачёту.
invoice-recorded-vat-none = В этой закупке нет НДС.
invoice-sent-for-approval = Отправлено на согласование: { $names }.
invoice-discarded = 🗑 Черновик №{ $id } отменён. Ничего не записано.

invoice-approval-title = 🧾 Закупка №{ $id }
invoice-fact-supplier = Поставщик
invoice-fact-tin = ИНН
invoice-fact-number = Номер
invoice-fact-date = Дата
invoice-fact-total = Итого
invoice-fact-vat = НДС
invoice-fact-vat-claim = Входящий НДС
invoice-fact-branch = Филиал
invoice-claim-paper = бумажный документ
invoice-claim-e_invoice = ЭСФ
invoice-claim-none = без НДС
invoice-status-draft = черновик
invoice-status-pending_approval = ждёт согласования
invoice-status-confirmed = записана
invoice-status-discarded = отменена

invoices-title = 📥 <b>Закупки</b> · { $count ->
    [0] нет
   *[other] { $count }
}
invoices-none = Нет закупок по этим фильтрам. Отправьте фото счёта поставщика, чтобы записать закупку.
invoices-totals = Записано: { $total }, НДС { $vat }, из него по ЭСФ { $evat }.
invoices-period-m = Этот месяц
invoices-period-lm = Прошлый месяц
invoices-period-y = Этот год
invoices-period-a = За всё время
invoices-any-supplier = Все поставщики
invoices-status-l = Записанные и ожидающие
invoices-status-ok = Записанные
invoices-status-p = Ждут согласования
invoices-status-x = Отменённые
invoices-export-caption = { $count ->
    [one] { $count } закупка
    [few] { $count } закупки
   *[other] { $count } закупок
}
invoices-sheet = Закупки
invoices-lines-sheet = Строки
invoices-col-date = Дата
invoices-col-id = №
invoices-col-number = Номер счёта
invoices-col-supplier = Поставщик
invoices-col-tin = ИНН
invoices-col-net = Без НДС
invoices-col-vat = НДС
invoices-col-total = Итого
invoices-col-claim = Входящий НДС
invoices-col-status = Статус
invoices-col-line = Строка
invoices-col-item = Наименование
invoices-col-qty = Количество
invoices-col-price = Цена
invoices-col-regos = Товар REGOS
invoices-total-confirmed = Итого записано
btn-invoices-threshold = ⚙️ Согласование выше { $amount }
invoices-ask-threshold = Выше какого итога закупка должна ждать согласования? Напишите сумму, например 50 000 000.
invoices-threshold-saved = ✅ Теперь закупки выше { $amount } ждут согласования.
