## Payroll: register and payslips (services/payroll/render.py)
payroll-register-title = Payroll register
payroll-payslip-title = Payslip
payroll-month = Month
payroll-version = Version { $version }
payroll-kind-monthly = Salary
payroll-kind-advance = Advance
payroll-status-draft = draft
payroll-status-pending_approval = waiting for approval
payroll-status-approved = approved
payroll-status-paid = paid
payroll-total = Total
payroll-col-name = Employee
payroll-col-regos-user = REGOS user
payroll-col-days = Days
payroll-col-base = Salary
payroll-col-retail-sales = Retail sales
payroll-col-retail-commission = Retail commission
payroll-col-wholesale-sales = Wholesale sales
payroll-col-wholesale-commission = Wholesale commission
payroll-col-bonus = Bonus
payroll-col-deductions = Deductions
payroll-col-gross = Gross
payroll-col-pit = PIT 12%
payroll-col-pit-budget = of which to the budget
payroll-col-inps = of which INPS
payroll-col-advance = Advance paid
payroll-col-net = Net to pay
payroll-col-social-tax = Social tax
payroll-col-employer-cost = Employer cost
payroll-col-warnings = Warnings
payroll-col-previous-net = Net before
payroll-col-difference = Difference
payroll-days-worked = Days worked: { $days } of { $total }
payroll-accrued = Accrued
payroll-withheld = Withheld
payroll-to-pay = To pay
payroll-plan-bonus = Plan bonus
payroll-manual-bonus = Bonus: { $reason }
payroll-manual-penalty = Penalty: { $reason }
payroll-manual-deduction = Deduction: { $reason }
payroll-missing-days = Days not imported from REGOS: { $days }
payroll-days-to-come = Days of the month still to come: { $count }
payroll-not-connected = REGOS is not connected: commissions on sales cannot be computed.
payroll-warning-no-regos-user = No REGOS user is mapped to this employee: retail commission is 0.
payroll-warning-no-regos-user-wholesale = No REGOS user is mapped to this employee: wholesale commission is 0.
payroll-warning-plan-unknown = The plan's sales are not known: no plan bonus.
payroll-warning-negative-sales = Returns exceed sales this month: no retail commission.
payroll-warning-below-mrot = Gross is below the minimum wage for the days worked ({ $floor }).
payroll-warning-negative-net = Net is negative: nothing is paid until it is resolved.
payroll-warning-sales-incomplete = Some days are not imported yet: the commission covers the imported days only.
error-payroll = Payroll refused that.
error-payroll-invalid = { $field }: { $problem }
error-payroll-employee-not-found = There is no such employee in this company.
error-payroll-run-not-found = There is no such payroll in this company.
error-payroll-run-frozen = The payroll of { $month } (version { $version }) is already { $status ->
    [pending_approval] waiting for approval
    [approved] approved
    [paid] paid
   *[draft] a draft
}: it cannot change. Start a correction instead.
error-payroll-run-state = The payroll is { $status ->
    [pending_approval] waiting for approval
    [approved] approved
    [paid] paid
   *[draft] a draft
} now, so this cannot be done.
error-payroll-open-run = The payroll of { $month } already has an open version ({ $version }): finish it first.
error-payroll-negative-net = { $count ->
    [one] { $count } employee would get
   *[other] { $count } employees would get
} a negative net. Fix their lines, or approve knowingly.
error-payroll-rate-missing = A rate needed for payroll ({ $codes }) is missing for { $day }.
error-payroll-month-invalid = Write the month as YYYY-MM, for example 2026-11.
error-payroll-file-invalid =
    The file was not imported: { $count } problems.
    { $problems }

## Payroll in the bot (handlers/payroll.py, services/payroll/approval.py)
cmd-payroll = payroll: drafts, approval, payslips
cmd-payslips = my payslips
payroll-pick-month = Which month's payroll? This month is { $this }, last month { $last }; or type one as YYYY-MM.
payroll-btn-this-month = This month
payroll-btn-last-month = Last month
payroll-btn-type-month = Type a month
payroll-type-month = Type the month as YYYY-MM, for example 2026-11.
payroll-card-head = <b>Payroll — { $company } — { $month }</b>
payroll-card-totals =
    { $employees ->
        [one] { $employees } employee
       *[other] { $employees } employees
    }
    Gross: { $gross }
    PIT: { $pit }
    Net to pay: { $net }
    Social tax: { $social }
    Employer cost: { $cost }
payroll-card-difference = Paid before: { $previous }; difference: { $difference }
payroll-card-warnings = <b>Warnings</b>
payroll-card-more = …and { $count } more (see the register).
payroll-card-delivered = Payslips sent: { $telegram } in Telegram, { $sms } by SMS; not reachable: { $unreachable }.
payroll-btn-register = Register (Excel)
payroll-btn-submit = Submit for approval
payroll-btn-recompute = Recompute
payroll-btn-approve = Approve
payroll-btn-paid = Mark paid
payroll-btn-correct = Correction
payroll-submitted = Sent for approval.
payroll-register-caption = Payroll register, { $month }, version { $version }
payroll-file-too-big = The file is too big (2 MB at most).
payroll-imported = Pay schemes imported from { $month }: { $rows ->
    [one] { $rows } row
   *[other] { $rows } rows
}, { $created ->
    [one] { $created } new employee
   *[other] { $created } new employees
}, { $updated } updated.
payroll-card-title = Payroll of { $month }
payroll-fact-month = Month
payroll-fact-version = Version
payroll-fact-employees = Employees
payroll-sms = { $company }: salary for { $month }, net to pay { $net }.
payslips-not-linked = You are not linked to an employee of this company yet: ask the owner.
payslips-none = No approved payslips yet.

## Payroll: editing a draft, advances, sync (handlers/payroll_edit.py)
menu-payroll = 💼 Payroll
payroll-btn-advance = Advance for this month
payroll-btn-edit = ✏️ Edit lines
payroll-btn-sync = 🔄 Import the missing days
payroll-btn-back = ⬅️ Back
payroll-btn-prev = ◀️ Previous
payroll-btn-next = Next ▶️
payroll-edit-pick = Whose lines? { $title }, version { $version } (draft).
payroll-employee-card =
    <b>{ $name }</b> — { $title }
    Days worked: { $days } of { $total }
    Gross: { $gross }
    Net to pay: { $net }
payroll-employee-manual = Manual lines:
payroll-employee-no-manual = No manual lines this month.
payroll-employee-off-run = Not on this payroll (no pay scheme for the month).
payroll-btn-days = 📅 Days worked
payroll-btn-add-bonus = ➕ Bonus
payroll-btn-add-penalty = ➖ Penalty
payroll-btn-add-deduction = ➖ Deduction
payroll-btn-add-advance = 💵 Advance paid
payroll-btn-remove = ❌ { $line }
payroll-line-bonus = Bonus
payroll-line-penalty = Penalty
payroll-line-deduction = Deduction
payroll-line-advance = Advance paid
payroll-manual-advance = Advance paid: { $reason }
payroll-ask-days = How many days did { $name } work in { $month }? Send a whole number from 0 to { $most }.
payroll-ask-amount = { $line } for { $name }: send the amount, for example 500 000, 500k or 1.5 mln.
payroll-ask-reason = { $line } of { $amount }: now send the reason in a few words.
payroll-line-saved = Saved. The draft is recomputed.
payroll-line-removed = The line is removed and the draft recomputed.
payroll-sync-nothing = Every day of { $month } up to today is already imported.
payroll-sync-busy = Another import is running for this company; try again in a minute.
error-payroll-days = Days worked is a whole number from 0 to { $most }.
error-payroll-reason = Write the reason in a few words (at most 200 characters).
error-payroll-step-over = This step is over. Open /payroll again.
