# REGOS sync core (issue 9/10): alerts the sync sends through the outbox.
sync-mismatch-alert = ⚠️ { $company }, { $day }: our receipts and REGOS's own report still differ after a second read.
    Receipts: ours { $ours_receipts }, REGOS { $regos_receipts }. Sales: ours { $ours_sales } so'm, REGOS { $regos_sales } so'm (difference { $difference } so'm).
    Both figures are kept; reports show our receipts. I will check the day again on the next sync.
