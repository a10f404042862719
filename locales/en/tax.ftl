## Tax reports (/tax, services/tax)
cmd-tax = tax reports: VAT or turnover tax, PIT and social tax, profit tax, deadlines
tax-pick-period = Which month's taxes? Last month is { $last }.
tax-btn-last-month = Last month
tax-btn-month-before = Month before
tax-btn-type-month = Another month…
tax-type-month = Send the month as YYYY-MM, for example 2026-10.
tax-card-head = <b>Taxes — { $company }</b>, { $period }
tax-card-tin = TIN: { $tin }
tax-card-regime = Regime: { $regime }
tax-card-status = Status: { $status }
tax-card-sales = Sales: { $revenue } (returns { $returns })
tax-card-no-sales = Sales: no figures — { $days ->
    [one] { $days } day is
   *[other] { $days } days are
} not imported ({ $ranges }). Run /sync, then open the report again.
tax-card-tax = { $name }: { $amount } (base { $base }, { $rate }%)
tax-card-tax-missing = { $name }: no figure — { $reason }
tax-card-vat-detail = output { $output } − input { $input } − carried { $carried }; carried forward { $forward }
tax-card-estimate = (estimate)
tax-card-total = <b>Tax due: { $amount }</b>
tax-card-deadlines = Deadlines:
tax-card-deadline = • { $report }: { $date }
tax-card-warnings = Notes:
tax-btn-xlsx = Excel
tax-btn-pdf = PDF
tax-btn-recompute = Recompute
tax-btn-submit = Mark ready (for approval)
tax-btn-filed = Uploaded to my.soliq.uz
tax-submitted = Sent for approval
tax-doc-caption = Tax report { $period }
tax-reminder = ⏰ { $company }: { $report } for { $period } is due { $deadline } ({ $days ->
    [0] today
    [one] in { $days } day
   *[other] in { $days } days
}). The report is not marked as filed yet: /tax
tax-error-period-invalid = “{ $value }” is not a month: write YYYY-MM, for example 2026-10.
tax-error-future = { $period } has not begun: a tax report is for a month that has started.
tax-error-before-company = { $period } is before the company's tax regime starts ({ $start }). An operator sets an earlier regime with python -m bot tax regime.
tax-error-rate-missing = No { $code } rate in force on { $day }: add it to the rates table.
tax-error-not-found = This tax report is gone.
tax-error-frozen = The report is { $status } and no longer changes.
tax-error-incomplete = The report cannot be marked ready: no figure yet for { $taxes }.
tax-missing-days = { $days ->
    [one] { $days } day of sales is
   *[other] { $days } days of sales are
} not imported: run /sync for them (an owner or manager), then open the report again.
tax-missing-payroll-none = No payroll for { $month }: prepare it in /payroll and have the owner approve it.
tax-missing-payroll-open = The payroll of { $month } is not approved yet: submit it in /payroll for the owner's approval.
tax-missing-payroll-quarter = Profit tax needs the approved payroll of { $months }.
tax-missing-cost = Cost of goods is unknown for { $days ->
    [one] { $days } day
   *[other] { $days } days
} (REGOS sent no gross profit): the profit estimate is not shown.
tax-warn-partial-start = The company's tax regime starts on { $start }: earlier days are not counted.
tax-warn-regime-split = The regime changes on { $day }: the month is split, each part under its own regime.
tax-warn-preliminary = The month is not over: preliminary figures.
tax-warn-paper-vat = Input VAT { $amount } is on paper documents only: not credited until their e-invoices are matched.
tax-warn-purchase-no-vat = { $count ->
    [one] { $count } confirmed purchase has
   *[other] { $count } confirmed purchases have
} no VAT details: complete them in the purchases to count their VAT.
tax-warn-no-carry = No report for { $month }: no input VAT carried from it.
tax-warn-threshold-exceeded = This year's revenue passed the VAT threshold in { $month }: the general regime (VAT and profit tax) applies from { $general }.
tax-warn-threshold-near = This year's revenue { $revenue } is approaching the VAT threshold of { $threshold }.
tax-regime-vat = VAT payer (VAT and profit tax)
tax-regime-turnover = turnover tax
tax-regime-mixed = regime changed in the month
tax-status-draft = draft
tax-status-pending = waiting for approval
tax-status-ready = ready to file
tax-status-filed = filed
tax-name-vat = VAT
tax-name-turnover = Turnover tax
tax-name-pit = PIT
tax-name-social = Social tax
tax-name-profit = Profit tax
tax-fact-period = Month
tax-fact-regime = Regime
tax-fact-total = Tax due
tax-approval-title = Tax report { $period }
tax-deadline-pit_social = PIT and social tax
tax-deadline-turnover = turnover tax
tax-deadline-vat = VAT
tax-deadline-profit = profit tax
tax-deadline-pit_social_annual = annual PIT and social tax
tax-doc-title = Tax calculations (draft)
tax-doc-company = Taxpayer: { $name }, TIN { $tin }
tax-doc-period = Period: { $period } ({ $first } – { $last })
tax-doc-regime = Regime: { $regime }
tax-doc-status = Status: { $status }
tax-doc-draft-note = Prepared by Smart Savdo from the company's own records; check it before filing in my.soliq.uz.
tax-form-vat = VAT calculation (QQS hisob-kitobi)
tax-form-turnover = Turnover tax calculation
tax-form-payroll = PIT and social tax calculation
tax-form-profit = Profit tax, quarter (estimate)
tax-line-rate = Rate
tax-line-vat-retail = Retail sales at the standard rate, VAT included
tax-line-vat-wholesale = Wholesale, VAT included
tax-line-vat-zero = Zero-rated sales
tax-line-vat-exempt = Exempt sales
tax-line-vat-output = Output VAT
tax-line-vat-input = Input VAT on accepted e-invoices
tax-line-vat-paper = Input VAT on paper documents (not credited)
tax-line-vat-carried-in = Input VAT carried from the previous month
tax-line-vat-payable = VAT payable
tax-line-vat-carried-out = Input VAT carried to the next month
tax-line-turnover-gross = Retail sales
tax-line-turnover-returns = Returns
tax-line-turnover-wholesale = Wholesale
tax-line-turnover-base = Tax base (revenue less returns)
tax-line-turnover-amount = Turnover tax
tax-line-payroll-fund = Payroll fund (gross)
tax-line-pit = PIT
tax-line-inps = of which INPS
tax-line-pit-budget = PIT to the budget
tax-line-social = Social tax
tax-line-profit-revenue = Revenue
tax-line-profit-revenue-net = Revenue without VAT
tax-line-profit-cost = Cost of goods sold
tax-line-profit-expenses = Approved expenses
tax-line-profit-payroll = Payroll
tax-line-profit-social = Social tax
tax-line-profit-base = Profit (estimate)
tax-line-profit-amount = Profit tax (estimate)
tax-no-data = no data
tax-warnings = Notes
tax-sheet-report = Report
tax-sheet-sales = Sales by day
tax-sheet-purchases = Purchases
tax-sheet-payroll = Payroll
tax-col-code = Line
tax-col-line = Indicator
tax-col-amount = Amount
tax-col-day = Date
tax-col-receipts = Receipts
tax-col-retail-net = Retail net
tax-col-missing = Not imported
tax-col-purchase = Purchase
tax-col-supplier = Supplier
tax-col-tin = TIN
tax-col-number = Number
tax-col-total = Total
tax-col-vat = VAT
tax-col-claim = VAT document
tax-col-credited = Credited
tax-col-run = Payroll run
tax-col-version = Version
tax-col-employees = Employees
tax-claim-paper = paper
tax-claim-e_invoice = e-invoice
tax-claim-none = no VAT
tax-yes = yes
tax-no = no
tax-btn-einvoices = E-invoice register (Excel)
tax-einv-send = Send the register of received e-invoices exported from Didox, Faktura.uz or my.soliq.uz (.xlsx or .csv).
tax-einv-error-file = Cannot read the register { $name }: send the .xlsx or .csv as the operator exported it (seller TIN of 9 digits, number and date in every row).
tax-einv-error-columns = The register needs the columns seller TIN, number and date; its columns: { $found }. Nothing was imported.
tax-einv-error-buyer = Row { $row } is an e-invoice of another buyer (TIN { $tin }): this register is not this company's. Nothing was imported.
tax-einv-result = E-invoices read: { $rows }, matched to purchases: { $matched }.
tax-einv-unmatched = E-invoices without a purchase: { $count }
tax-einv-no-einvoice = Purchases still without an e-invoice (their VAT is not credited): { $count }
tax-einv-not-accepted = Not signed or accepted, skipped: { $count }
tax-error-submission = The submission endpoint did not accept the report ({ $problem }): try again later, or upload it to my.soliq.uz yourself.
tax-card-see-notes = see the notes below
tax-status-filing = uploaded, waiting for the owner to confirm the filing
tax-filing-sent = Sent to the owner to confirm the filing
tax-filing-title = Tax report { $period } uploaded to my.soliq.uz: confirm it is filed
tax-fact-submission = Submission reference
tax-line-vat-wholesale-on-top = Wholesale, VAT added on top (amount without VAT)
tax-line-vat-wholesale-no-vat = Wholesale without VAT
tax-line-vat-other-rates = Retail sales at other rates, VAT included
tax-warn-wholesale-vat-unknown = Wholesale of { $amount } has no VAT calculation type from REGOS (synced before it was kept): counted as VAT included. Sync the month again (/sync) to read it.
tax-warn-wholesale-no-vat = Wholesale documents of { $amount } are without VAT in REGOS: no output VAT is charged on them. Check that they are zero-rated or exempt.
tax-warn-item-rate = Items sold for { $amount } have a VAT rate of { $rate }% in REGOS instead of the standard rate: their VAT is computed at { $rate }%. Correct REGOS, or set their class with tax item-vat.
