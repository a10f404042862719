## Sales reports: /today, /sales, exports
cmd-today = today's sales
cmd-sales = sales report for a period

report-choose-period = 📊 Sales report. Choose the period:
report-btn-today = Today
report-btn-yesterday = Yesterday
report-btn-this-week = This week
report-btn-last-week = Last week
report-btn-this-month = This month
report-btn-last-month = Last month
report-btn-custom = 📅 Other dates
report-ask-dates =
    Send the dates: one day (22.11.2026, 2026-11-22, 22 November, Nov 22) or a range (1.11-15.11, 2026-11-01 2026-11-15, 1-15 November).
    /cancel to stop.
report-choose-branch = Period: { $period }. Which branches?
report-btn-all-branches = All branches
report-building = ⏳ Preparing the report for { $period }…
report-preparing-file = Preparing the file…
report-long-range-file = The period is { $days ->
    [one] { $days } day
   *[other] { $days } days
} long. Over a year is too long to read in a chat, so the report comes as an Excel file.
report-no-data =
    There are no sales in <b>{ $company }</b> yet.
    Connect the REGOS cash registers with /regos: sales appear here after the first sync.
report-no-data-connected =
    REGOS is connected, but no sales have been synced for <b>{ $company }</b> yet.
    Run /sync or wait for the next scheduled sync.
report-error-branch = That branch is not one you may see.
report-btn-xlsx = 📗 Excel
report-btn-pdf = 📕 PDF
report-btn-csv = 📄 CSV
report-file-caption = 📊 { $company } · { $period } · { $scope }

## Typed dates
report-error-date-format = I could not read “{ $value }” as a date. Examples: 22.11.2026, 2026-11-22, 22 November, Nov 22, or a range 1.11-15.11.
report-error-date-nonexistent = There is no such date: { $value }. Check the day and the month.
report-error-range-reversed = The range ends ({ $last }) before it starts ({ $first }). Send the earlier date first.
report-error-future = { $value } has not come yet. Send a date up to today.
report-error-range-too-long = The range is too long: at most { $days ->
    [one] { $days } day
   *[other] { $days } days
}.

## The report message
report-title = 📊 <b>Sales — { $company }</b>
report-period = 🗓 { $period } ({ $timezone }) · { $scope }
report-compared = Compared with { $period }
report-scope-all = all branches
report-scope-none = no branches
report-net = 💰 Net sales: <b>{ $amount }</b> { $change }
report-retail = 🛒 Retail: { $amount } { $change }
report-wholesale = 📦 Wholesale: { $amount } { $change }
report-returns = ↩️ Returns: { $amount } ({ $count }) { $change }
report-receipts = 🧾 Receipts: { $count } { $change }
report-average = 💳 Average receipt: { $amount } { $change }
report-empty-period = No sales in this period.
report-previous-net = Previous period: { $amount }
report-section-payments = <b>By payment type</b>
report-section-branches = <b>By branch</b>
report-section-products = <b>Top products</b>
report-section-sellers = <b>Top sellers</b>
report-row = { $name }: { $amount } { $change }
report-product-row = { $rank }. { $name } — { $amount } · { $quantity } { $unit } { $change }
report-seller-row = { $rank }. { $name } — { $amount } (receipts: { $receipts }) { $change }
report-branch-unassigned = without a branch
report-chart-title = Net sales by day
report-chart-caption = 📈 Net sales by day and branch, { $period }

## Files
report-export-title = Sales report
report-sheet-summary = Summary
report-sheet-days = By day
report-sheet-branches = By branch
report-sheet-payments = By payment type
report-sheet-products = Top products
report-sheet-sellers = Top sellers
report-col-figure = Figure
report-col-current = This period
report-col-previous = Previous period
report-col-change = Change
report-col-date = Date
report-col-total = Total
report-col-branch = Branch
report-col-payment-type = Payment type
report-col-sales = Sales
report-col-refunds = Refunds
report-col-net = Net
report-col-rank = No.
report-col-product = Product
report-col-unit = Unit
report-col-quantity = Quantity
report-col-amount = Amount
report-col-seller = Seller
report-col-company = Company
report-col-period = Period
report-col-compared = Compared with
report-col-branches = Branches
report-col-timezone = Time zone
report-col-generated = Generated
report-figure-net-sales = Net sales
report-figure-retail-gross = Retail sales
report-figure-retail-returns = Retail returns
report-figure-retail-net = Retail net
report-figure-wholesale-gross = Wholesale sales
report-figure-wholesale-returns = Wholesale returns
report-figure-wholesale-net = Wholesale net
report-figure-receipts = Receipts
report-figure-return-receipts = Return receipts
report-figure-wholesale-docs = Wholesale documents
report-figure-wholesale-return-docs = Wholesale returns (documents)
report-figure-average-receipt = Average receipt

# Days never imported are missing, not zero (issue 11, item 1).
report-missing-days = ⚠️ { $count ->
    [one] 1 day of this period is
   *[other] { $count } days of this period are
} not imported yet ({ $days }): the figures below leave { $count ->
    [one] it
   *[other] them
} out and no changes are shown. Import them with /sync.
report-missing-days-compared = ⚠️ The comparison period is missing { $count ->
    [one] 1 day
   *[other] { $count } days
} ({ $days }), so no changes are shown: they would be measured against an incomplete period.

report-empty-imported = No sales on the { $count ->
    [one] imported day
   *[other] { $count } imported days
}.
report-btn-import-days = 📥 Import the missing days

## Approved expenses (issue 12)
report-section-expenses = <b>Approved expenses</b>
report-expense-row = { $name }: { $amount } ({ $count })
report-expenses-total = Expenses in total: { $amount } ({ $count ->
    [one] 1 expense
   *[other] { $count } expenses
})
report-net-after-expenses = 🧮 Net sales after expenses: <b>{ $amount }</b>
report-sheet-expenses = Expenses
report-col-category = Category
report-col-count = Count
report-figure-expenses = Approved expenses
report-figure-net-after-expenses = Net sales after expenses
report-day-missing = not imported
report-missing-note = Days not imported: { $days }. They are marked “not imported”, not counted as zero.
report-chart-gaps = Gaps: { $count ->
    [one] 1 day
   *[other] { $count } days
} not imported ({ $days }).

## /mysales: days not imported
mysales-today-missing = Today: not imported yet, your sales appear after the next sync
mysales-month-missing = ⚠️ { $count ->
    [one] 1 day of this month is
   *[other] { $count } days of this month are
} not imported yet ({ $days }): the month's figure leaves { $count ->
    [one] it
   *[other] them
} out.
