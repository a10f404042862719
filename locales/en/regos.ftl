## REGOS connection
regos-private-only = For safety, connect REGOS only in a private chat with me. I deleted the message.
regos-key-deleted-warning = That looked like a REGOS key, so I deleted it: never post keys in a group. If others saw it, create a new key in REGOS.
regos-status-none = REGOS is not connected yet.
regos-status =
    REGOS: <b>{ $status }</b>
    Key: { $prefix }…
    Branches: { $branches }
    Last successful sync: { $last_sync }
regos-status-ok = connected, working
regos-status-failing = not answering: I will catch up once it is back
regos-status-revoked = the key was rejected: connect a new key
regos-never = never
regos-ask-key =
    Paste your REGOS integration key (32 characters). It is in REGOS.Online → Business settings → Integrations.
    I will delete your message right after reading it and keep the key encrypted.
regos-checking = Checking the key with REGOS…
regos-connected = ✅ REGOS connected: { $branches ->
    [one] { $branches } branch
   *[other] { $branches } branches
} found. How much sales history should I import? Today comes first, so /today works in a minute; you can use the bot meanwhile. After that I sync every hour by myself.
regos-key-rejected = ❌ REGOS rejected this key (code { $code }). Check that you copied all 32 characters, or create a new integration key in REGOS and paste it again.
regos-no-rights = ❌ The key works, but it has no rights for { $method } (code { $code }). In REGOS, give the integration access to sales, stocks and reference data, then paste the key again.
regos-unreachable = ❌ REGOS is not answering right now. Nothing was changed; try again in a few minutes.
regos-failed = ❌ REGOS answered with an error (code { $code }): { $description }. Nothing was changed.
regos-key-format = This is not an integration key: a key is 32 letters and digits. Paste the key, or send /cancel.
btn-regos-connect = Connect a new key
btn-regos-sync = Sync now
btn-regos-branches = Branches
regos-branches-title = Branches from REGOS. Press one to rename it.
regos-branch-ask-name = Send the new name for { $name }:
regos-branch-renamed = Branch renamed: { $name }.

## Sync
sync-started = ⏳ Syncing sales from REGOS…
sync-started-background = ⏳ Syncing sales from REGOS… You can use the bot meanwhile.
sync-progress = ⏳ Syncing sales from REGOS: { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
} read so far, { $elapsed } s.
sync-done = ✅ Sync finished in { $elapsed } s.
sync-today = Today, { $day }
sync-books = { $scope ->
    [branches] { $day }, your branches
   *[company] { $day }
}: { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
}, net sales { $net }.
sync-written = Written from REGOS: { $inserted ->
    [one] { $inserted } new document
   *[other] { $inserted } new documents
} and { $updated } changed (receipts, returns and wholesale together).
sync-written-none = Nothing new in REGOS since the last sync.
sync-crashed = ❌ The sync stopped because of an error on my side. What was imported is safe; send /sync to try again.
sync-reconcile-ok = Totals match REGOS's own report.
sync-reconcile-mismatch = ⚠️ Totals differ from REGOS's own report on { $dates }. I will check again on the next sync.
sync-skipped = { $count } records with missing fields were skipped.
sync-failed = ❌ Sync stopped: { $reason }. What was imported is safe; the next sync catches up.
sync-busy = A sync for this company is already running. Please wait for it to finish.
sync-alert-down = ⚠️ REGOS has not answered for company { $company } since { $since }. Sales will catch up automatically once it is back.
sync-alert-recovered = ✅ REGOS answers again for company { $company }; sales are up to date.
cmd-regos = connect REGOS
cmd-sync = sync sales from REGOS now
error-branch-name = A branch name must be 1 to 128 characters. Try again.
error-regos-not-connected = REGOS is not connected. The owner can connect it with /regos.
regos-rate-limited = ❌ REGOS says too many requests right now. Nothing was changed; try again in a minute.
regos-key-outside-flow = That looks like a REGOS key, so I deleted it to keep it safe. To connect REGOS, send /regos first.
regos-webhook-url = For instant updates, paste this address in REGOS → Integrations → Webhook and tick the events for closed and cancelled receipts and for wholesale: { $url }
btn-regos-employees = Employees
regos-employees-title = Employees from REGOS. Press one to tie it to a member of the company (their sales become theirs in the bot).
regos-employee-choose-member = Who in the bot is { $name }?
btn-employee-unlink = Nobody
regos-employee-linked = { $name } is now tied to { $member }.
regos-employee-unlinked = { $name } is not tied to anyone now.
regos-no-employees = No employees yet: they arrive from REGOS when it is connected.

## History import (first connect, /sync of a period, missing days)
btn-import-history = { $days ->
    [7] 7 days
    [30] 30 days
    [90] 90 days
   *[other] A year
}
btn-import-missing = 📥 Import missing days
btn-import-retry = 🔁 Retry
sync-import-started = ⏳ Importing { $total ->
    [one] { $total } day
   *[other] { $total } days
} from REGOS, today first. You can use the bot meanwhile.
sync-import-progress = ⏳ Importing from REGOS: { $done } of { $total ->
    [one] { $total } day
   *[other] { $total } days
} done, { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
} read; { $eta }.
sync-eta-unknown = estimating the time left
sync-eta-seconds = about { $seconds } s left
sync-eta-minutes = about { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
} left
sync-import-done = ✅ Import finished: { $days ->
    [one] { $days } day
   *[other] { $days } days
} in { $elapsed }. The books now hold { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
} for { $days ->
    [one] it
   *[other] them
}.
sync-import-stopped =
    ⚠️ Import stopped: { $reason }. Imported { $done } of { $total ->
        [one] { $total } day
       *[other] { $total } days
    } ({ $receipts ->
        [one] { $receipts } receipt
       *[other] { $receipts } receipts
    } in the books for them); what is imported is safe.
    Not imported yet: { $missing }. Press Retry to import the rest.
sync-import-reason-down = REGOS is not answering
sync-import-reason-busy = REGOS says too many requests (another program may be using the same key)
sync-import-reason-key = REGOS no longer accepts the key
sync-import-crashed = ❌ The import stopped because of an error on my side. What was imported is safe; press Retry to go on.
sync-import-range = { $first } – { $last }
sync-import-nothing = All days from { $first } to { $last } are already imported.
sync-import-running = An import from REGOS is already running for this company. Wait for its message to say it has finished.
sync-import-range-too-long = I can import at most { $days ->
    [one] { $days } day
   *[other] { $days } days
} at once. Choose a shorter period.
sync-hint-period = To import past days, send a period, e.g. /sync 1.11-15.11
sync-took-seconds = { $seconds } s
sync-took-minutes = { $minutes ->
    [one] { $minutes } minute
   *[other] { $minutes } minutes
}
regos-details =
    Receipt details: <b>{ $state }</b>. What for: each receipt's items and payments, to look up a single receipt; reports and summaries do not need them. Cost: 2 REGOS requests a receipt, read in the background within { $share }% of the key's limit, so sales imports are never slowed down.
    Receipts with details: { $with_details }, without: { $without } (sales and returns together).
regos-details-on = on
regos-details-off = off
regos-details-left = ⏳ Reading them: { $eta }.
btn-regos-details-on = Turn receipt details on
btn-regos-details-off = Turn receipt details off
regos-details-saved-on = Receipt details are on
regos-details-saved-off = Receipt details are off
