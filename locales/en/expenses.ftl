## Amounts typed by people (services/amounts)
amount-invalid = That is not an amount. Send a number, for example 150 000, 150k or 1.5 mln.
amount-not-positive = The amount must be more than zero.
amount-too-large = That amount is too large to be real. Check it and send it again.
amount-too-precise = An amount has at most two decimals (tiyin).

## /expense
cmd-expense = record an expense
cmd-expenses = expenses: list, filters, Excel
expense-ask-amount = 💸 How much was spent? Send the amount, for example 150 000, 150k or 1.5 mln. /cancel stops.
expense-confirm-amount = { $amount } is more than the usual ceiling of { $ceiling }. Is the amount right?
btn-expense-amount-yes = ✅ Yes, { $amount }
btn-expense-amount-no = ✏️ Type it again
expense-ask-category = Amount: <b>{ $amount }</b>. Which category?
expense-ask-branch = Which branch was it for?
expense-ask-comment = Add a comment (what it was for), or press Skip.
expense-ask-receipt = Send a photo of the receipt (or a PDF), or press Skip.
btn-skip = Skip ⏭
expense-review =
    <b>Check the expense</b>
    Amount: { $amount }
    Category: { $category }
    Branch: { $branch }
    Comment: { $comment }
    Receipt: { $receipt }
expense-receipt-attached = attached
expense-receipt-none = none
expense-no-branch = —
expense-no-comment = —
btn-expense-submit = ✅ Submit
expense-auto-approved = ✅ Expense #{ $id } ({ $amount }) is recorded and approved: it is below the { $limit } that needs no approval.
expense-sent = 📨 Expense #{ $id } ({ $amount }) is sent for approval to: { $names }. You will be told the decision.
expense-sent-nobody = Expense #{ $id } ({ $amount }) waits for approval, but nobody who may approve it can be reached in the bot right now. It is listed in /approvals.
expense-flow-expired = This expense was left unfinished for too long, and nothing was saved. Start again with /expense.
expense-category-gone = That category has just been removed. Choose another one.
expense-branch-needed = Choose the branch the expense was for.
expense-receipt-not-image = That file is neither a picture nor a PDF. Send a photo of the receipt, or press Skip.
expense-receipt-expected = Send a photo of the receipt (or a PDF), or press Skip.
expense-comment-too-long = The comment is too long: { $limit } characters at most.
expense-not-found = This expense does not exist.

## The card and the categories
expense-card-title = 🧾 Expense #{ $id }
expense-fact-amount = Amount
expense-fact-category = Category
expense-fact-branch = Branch
expense-fact-day = Day
expense-fact-comment = Comment
expense-category-rent = Rent
expense-category-utilities = Utilities
expense-category-transport = Transport
expense-category-supplies = Supplies
expense-category-repair = Repairs
expense-category-marketing = Advertising
expense-category-other = Other
expense-category-none = No category
expense-status-pending = ⏳ waiting
expense-status-approved = ✅ approved
expense-status-rejected = ❌ rejected
expense-status-withdrawn = ↩️ withdrawn

## /expenses
expenses-title = <b>Expenses</b> · { $period } · { $branch } · { $status } · { $category }
expenses-empty = No expenses match these filters.
expenses-totals = { $count ->
    [one] { $count } expense
   *[other] { $count } expenses
}, { $amount } in total.
expenses-page = Page { $page } of { $pages }
expenses-period-d = today
expenses-period-w = this week
expenses-period-m = this month
expenses-period-lm = last month
expenses-any-status = any status
expenses-all-categories = all categories
expenses-export-caption = Expenses, { $period }
expenses-sheet = Expenses
expenses-col-day = Day
expenses-col-id = No.
expenses-col-branch = Branch
expenses-col-category = Category
expenses-col-amount = Amount
expenses-col-status = Status
expenses-col-by = Submitted by
expenses-col-comment = Comment
expenses-total-approved = Approved in total
btn-expenses-export = 📥 Excel
btn-expenses-setup = ⚙️ Categories and limits

## Categories and limits (owner)
expenses-setup =
    <b>Expense settings</b>
    Approved at once when below: { $auto }
    The amount is confirmed when above: { $ceiling }
    Managers approve up to { $manager }; above it, the owner decides.

    Categories (press one to remove it):
btn-expense-add-category = ➕ Add a category
btn-expense-limit-auto = Approved at once below…
btn-expense-limit-ceil = Confirm the amount above…
btn-expense-limit-mgr = Managers approve up to…
expense-ask-category-name = Send the new category's name ({ $limit } characters at most).
expense-category-added = Category “{ $name }” is added.
expense-category-removed = Category removed. Expenses already in it keep it.
expense-category-name-invalid = A category name has 1 to { $limit } characters and does not start with “/”.
expense-category-exists = There is already a category “{ $name }”.
expense-category-too-many = A company has { $limit } categories at most. Remove one first.
expense-ask-limit-auto = Expenses below which amount are approved at once? Send an amount, or 0 to ask for every expense.
expense-ask-limit-ceil = Above which amount should the person confirm the amount first? Send an amount.
expense-ask-limit-mgr = Up to which amount may managers approve the expenses of their branches? Send an amount.
expense-limit-saved = Saved.
expense-limit-off = off, every expense is asked

## Main menu
menu-expense = 💸 Expense
