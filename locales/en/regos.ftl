## REGOS connection
regos-private-only = For safety, connect REGOS only in a private chat with me. I deleted the message.
regos-key-deleted-warning = That looked like a REGOS key, so I deleted it: never post keys in a group. If others saw it, create a new key in REGOS.
regos-status-none = REGOS is not connected yet.
regos-status =
    REGOS: <b>{ $status }</b>
    Key: { $prefix }…
    Branches: { $branches }
    Last successful sync: { $last_sync }
regos-status-ok = connected
regos-status-failing = not answering
regos-status-revoked = key rejected
regos-never = never
regos-ask-key =
    Paste your REGOS integration key (32 characters). It is in REGOS.Online → Business settings → Integrations.
    I will delete your message right after reading it and keep the key encrypted.
regos-checking = Checking the key with REGOS…
regos-connected = ✅ REGOS connected: { $branches ->
    [one] { $branches } branch
   *[other] { $branches } branches
} found. Send /sync to import sales now; after that I sync every hour by myself.
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
sync-progress = ⏳ Syncing: day { $day } of { $days }, { $receipts ->
    [one] { $receipts } receipt
   *[other] { $receipts } receipts
}, { $elapsed } s
sync-done =
    ✅ Sync finished in { $elapsed } s: { $days ->
        [one] { $days } day
       *[other] { $days } days
    }, { $receipts ->
        [one] { $receipts } receipt
       *[other] { $receipts } receipts
    } ({ $inserted } new, { $updated } updated).
    Net sales { $net }.
sync-reconcile-ok = Totals match REGOS's own report.
sync-reconcile-mismatch = ⚠️ Totals differ from REGOS's own report on { $dates }. I will check again on the next sync.
sync-skipped = { $count } records with missing fields were skipped.
sync-failed = ❌ Sync stopped: REGOS is not answering. Data already imported is safe; I will catch up on the next run.
sync-busy = A sync for this company is already running. Please wait for it to finish.
sync-alert-down = ⚠️ REGOS has not answered for company { $company } since { $since }. Sales will catch up automatically once it is back.
sync-alert-recovered = ✅ REGOS answers again for company { $company }; sales are up to date.
cmd-regos = connect REGOS
cmd-sync = sync sales from REGOS now
error-branch-name = A branch name must be 1 to 128 characters. Try again.
error-regos-not-connected = REGOS is not connected. The owner can connect it with /regos.
regos-rate-limited = ❌ REGOS says too many requests right now. Nothing was changed; try again in a minute.
regos-key-outside-flow = That looks like a REGOS key, so I deleted it to keep it safe. To connect REGOS, send /regos first.
regos-webhook-url = For instant updates, add this webhook URL in REGOS (events DocChequeClosed, DocChequeCanceled, DocWholeSale*): { $url }
btn-regos-employees = Employees
regos-employees-title = Employees from REGOS. Press one to tie it to a member of the company (their sales become theirs in the bot).
regos-employee-choose-member = Who in the bot is { $name }?
btn-employee-unlink = Nobody
regos-employee-linked = { $name } is now tied to { $member }.
regos-employee-unlinked = { $name } is not tied to anyone now.
regos-no-employees = No employees yet: they arrive from REGOS when it is connected.
