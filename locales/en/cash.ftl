## /cash
cmd-cash = cash registers: balances, deposits, withdrawals, collections
cash-title = <b>Cash registers</b>
cash-register-line = { $name }: <b>{ $balance }</b>
cash-register-line-limit = { $name }: <b>{ $balance }</b> (limit { $limit })
cash-total = Total: <b>{ $balance }</b>
btn-cash-deposit = ➕ Deposit
btn-cash-withdrawal = ➖ Withdrawal
btn-cash-transfer = 🔁 Transfer
btn-cash-collection = 🏦 Collection
btn-cash-setup = ⚙️ Limits
cash-kind-deposit = Deposit
cash-kind-withdrawal = Withdrawal
cash-kind-transfer_out = Transfer out
cash-kind-transfer_in = Transfer in
cash-kind-collection = Collection (inkassatsiya)
cash-kind-regos_sales = Cash sales from REGOS
cash-ask-register = { $operation }: which register?
cash-ask-target = Transfer from { $register }: to which register?
cash-ask-amount = { $operation } · { $register } (it holds { $balance }). Send the amount.
btn-cash-collect-all = 🏦 All of it: { $amount }
cash-ask-note = Add a note (who, what for), or press Skip.
cash-done = ✅ { $operation }: { $amount } is recorded. { $register } now holds { $balance }.
cash-done-transfer = ✅ { $amount } moved from { $source } to { $target }. { $source } holds { $source_balance }, { $target } holds { $target_balance }.
cash-pending = 📨 Withdrawal #{ $id } of { $amount } is above { $threshold }, so it waits for approval (sent to: { $names }). It counts once approved.
cash-pending-nobody = Withdrawal #{ $id } of { $amount } waits for approval, but nobody who may approve it can be reached in the bot right now. It is listed in /approvals.
cash-not-enough = Not enough cash: the register would go below zero. Check the balance in /cash.
cash-transfer-same = A transfer goes to another register.
cash-register-not-found = This register does not exist, or it is not one of your branches'.
cash-note-too-long = The note is too long: { $limit } characters at most.
cash-flow-expired = This operation was left unfinished for too long, and nothing was saved. Start again with /cash.

## Limit alert, approval card
cash-limit-alert = ⚠️ { $register } holds { $balance }, more than its limit of { $limit }. Hand the surplus to the collectors and confirm the collection.
btn-cash-confirm-collection = 🏦 Confirm the collection
cash-card-title = 💵 Cash withdrawal #{ $id }
cash-fact-kind = Operation
cash-fact-amount = Amount
cash-fact-register = Register
cash-fact-note = Note
cash-summary-line = 💵 In the cash registers: { $balance }

## Limits (owner)
cash-setup =
    <b>Cash settings</b>
    Withdrawals above { $threshold } wait for approval.
    An alert comes when a register holds more than its limit:
cash-limit-none = no limit
btn-cash-limit = { $name }: limit…
btn-cash-threshold = Approval above…
cash-ask-limit = The limit of { $name }: send an amount, or 0 for no limit.
cash-ask-threshold = Withdrawals above which amount should wait for approval? Send an amount.
cash-saved = Saved.

## The cash report (Excel)
cash-sheet-registers = Registers
cash-sheet-movements = Movements
cash-col-register = Register
cash-col-opening = Opening balance
cash-col-inflow = In
cash-col-outflow = Out
cash-col-closing = Closing balance
cash-col-total = Total
cash-col-day = Day
cash-col-kind = Operation
cash-col-amount = Amount
cash-col-note = Note

## Main menu
menu-cash = 💵 Cash
