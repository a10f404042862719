## Scheduled summaries
summary-daily-title = 📊 <b>{ $company }</b> — daily summary
summary-business-day = Business day { $day } ({ $timezone })
summary-no-sales = No sales were recorded this day.
summary-net = Net sales: <b>{ $amount }</b>
summary-change-yesterday = { $change } vs the day before
summary-change-weekday = { $change } vs { $day }
summary-change-missing = no comparison with { $day }: that day is not imported
summary-day-missing = ⚠️ Not all of { $day } is imported yet: the figures below leave out what is missing. Import it with /sync.
summary-sales-returns = Sales { $sales } (receipts: { $receipts }) · returns { $returns } ({ $return_receipts })
summary-wholesale = Wholesale, net: { $amount }
summary-average = Average receipt: { $amount }
summary-section-payments = <b>By payment type</b>
summary-section-branches = <b>Branches</b>
summary-section-products = <b>Top products</b>
summary-section-sellers = <b>Top sellers</b>
summary-section-low-stock = <b>Running low</b>
summary-section-alerts = <b>⚠️ Worth a look</b>
summary-row = • { $name }: { $amount }
summary-branch-row = • { $name }: { $amount } (receipts: { $receipts }) { $change }
summary-branch-shift = sales { $sales }, returns { $returns }
summary-ranked-row = { $rank }. { $name } — { $amount }
summary-low-stock-row = • { $name } ({ $branch }): { $quantity } left, minimum { $minimum }
summary-alert-drop = • Net sales are { $percent }% below the same weekday last week.
summary-alert-returns = • Returns are { $percent }% of sales (usually { $usual }%).
summary-correction = ✏️ Correction for { $day }: a late receipt or return changed net sales from { $before } to { $after } (receipts: { $receipts }).
summary-weekly-title = 🗓 <b>Weekly summary</b>, { $period }
summary-monthly-title = 🗓 <b>Monthly summary</b>, { $period }
summary-blocked-chats = { $count ->
    [one] One person did not get the summary because they blocked the bot
   *[other] { $count } people did not get the summary because they blocked the bot
}: { $names }.

## /settings
settings-title =
    <b>Summaries</b>
    Daily at { $time } ({ $timezone }); daily { $daily }, weekly { $weekly }, monthly { $monthly }.
    Yours: { $muted }; branches you follow: { $branches }.
settings-on = on
settings-off = off
settings-muted = muted
settings-unmuted = on
btn-settings-time = Change time
btn-settings-daily = Daily: { $state }
btn-settings-weekly = Weekly (Mondays): { $state }
btn-settings-monthly = Monthly (1st): { $state }
btn-settings-mute = Mute my summaries
btn-settings-unmute = Unmute my summaries
btn-settings-branches = Branches I follow
settings-ask-time = Send the time for the daily summary, for example 21:00.
settings-time-invalid = I didn't understand the time. Send it like 21:00.
settings-saved = Saved.
settings-branches-title = Choose the branches whose summaries you want (✅ = following).
btn-settings-all-branches = All my branches
cmd-settings = summaries and notifications
