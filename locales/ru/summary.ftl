## Scheduled summaries
summary-daily-title = 📊 <b>{ $company }</b> — итоги дня
summary-business-day = Рабочий день { $day } ({ $timezone })
summary-no-sales = В этот день продаж не было.
summary-net = Чистые продажи: <b>{ $amount }</b>
summary-change-yesterday = { $change } к предыдущему дню
summary-change-weekday = { $change } по сравнению с { $day }
summary-change-missing = без сравнения с { $day }: этот день не загружен
summary-day-missing = ⚠️ Данные за { $day } загружены не полностью: в цифрах ниже нет недостающего. Загрузите их командой /sync.
summary-sales-returns = Продажи { $sales } (чеков: { $receipts }) · возвраты { $returns } ({ $return_receipts })
summary-wholesale = Опт, нетто: { $amount }
summary-average = Средний чек: { $amount }
summary-section-payments = <b>По видам оплаты</b>
summary-section-branches = <b>Филиалы</b>
summary-section-products = <b>Лучшие товары</b>
summary-section-sellers = <b>Лучшие продавцы</b>
summary-section-low-stock = <b>Заканчивается</b>
summary-section-alerts = <b>⚠️ Обратите внимание</b>
summary-row = • { $name }: { $amount }
summary-branch-row = • { $name }: { $amount } (чеков: { $receipts }) { $change }
summary-branch-shift = продажи { $sales }, возвраты { $returns }
summary-ranked-row = { $rank }. { $name } — { $amount }
summary-low-stock-row = • { $name } ({ $branch }): осталось { $quantity }, минимум { $minimum }
summary-alert-drop = • Чистые продажи на { $percent }% ниже, чем в тот же день прошлой недели.
summary-alert-returns = • Возвраты составляют { $percent }% продаж (обычно { $usual }%).
summary-correction = ✏️ Поправка за { $day }: поздний чек или возврат изменил чистые продажи с { $before } на { $after } (чеков: { $receipts }).
summary-weekly-title = 🗓 <b>Итоги недели</b>, { $period }
summary-monthly-title = 🗓 <b>Итоги месяца</b>, { $period }
summary-blocked-chats = { $count ->
    [one] Итоги не дошли до { $count } человека, заблокировавшего бота
   *[other] Итоги не дошли до { $count } человек, заблокировавших бота
}: { $names }.

## /settings
settings-title =
    <b>Итоги</b>
    Ежедневно в { $time } ({ $timezone }); за день { $daily }, за неделю { $weekly }, за месяц { $monthly }.
    Ваши: { $muted }; филиалы, за которыми вы следите: { $branches }.
settings-on = включены
settings-off = отключены
settings-muted = отключены
settings-unmuted = включены
btn-settings-time = Изменить время
btn-settings-daily = За день: { $state }
btn-settings-weekly = За неделю (пн): { $state }
btn-settings-monthly = За месяц (1-е число): { $state }
btn-settings-mute = Отключить мои итоги
btn-settings-unmute = Включить мои итоги
btn-settings-branches = Мои филиалы
settings-ask-time = Отправьте время ежедневных итогов, например 21:00.
settings-time-invalid = Не понял время. Отправьте, например, 21:00.
settings-saved = Сохранено.
settings-branches-title = Выберите филиалы, по которым хотите получать итоги (✅ — получаете).
btn-settings-all-branches = Все мои филиалы
cmd-settings = итоги и уведомления
