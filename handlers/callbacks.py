"""Every CallbackData of the bot, in one place.

Rules: a short prefix; actions are StrEnum fields, filtered with magic filters
(`SettingsCb.filter(F.action == SettingsAction.MUTE)`), one handler per action; fields carry short integer ids or
enum values, never names, and each field means one thing; the whole string stays under Telegram's 64 bytes
(tests/test_kit.py packs every class at its longest).

Two bases give a button its checks, made once by `handlers.kit.CallbackScope` before any handler runs:
- `CompanyCallback` (a `company` field): made for one company; refused unless it is the user's active company.
- `FlowCallback` / `CompanyFlowCallback` (a `flow` field): belongs to one instance of a multi-step flow (see
  `kit.start_flow`); refused once that flow has ended, was cancelled, or was started again.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from db.finance import MovementKind
from db.models import Role, TaxRegime
from services.approvals import ApprovalAction
from services.purchases.drafts import EditField
from services.reports import ExportFormat, PeriodKind

# --- bases (never packed themselves) ------------------------------------------------------------------------------


class CompanyCallback(CallbackData, prefix="~co"):
    company: int  # the company the button was made for


class FlowCallback(CallbackData, prefix="~fl"):
    flow: int  # the flow instance the button belongs to


class CompanyFlowCallback(CompanyCallback, prefix="~cf"):
    flow: int


# --- language and onboarding --------------------------------------------------------------------------------------


class LanguageCb(CallbackData, prefix="lang"):
    code: str  # a locale: uz | ru | en


class StartAction(StrEnum):
    NEW_COMPANY = "new"


class StartCb(CallbackData, prefix="ob"):
    action: StartAction


class NewCompanyAction(StrEnum):
    TIMEZONE = "tz"
    REGIME = "regime"
    CANCEL = "cancel"


class NewCompanyCb(FlowCallback, prefix="nc"):
    action: NewCompanyAction
    zone: int = -1  # index into services.companies.COMMON_TIMEZONES (TIMEZONE)
    regime: TaxRegime | None = None  # REGIME


# --- invites, members, companies ----------------------------------------------------------------------------------


class InviteAction(StrEnum):
    ROLE = "role"  # a role is chosen: ask for the branch, or make the invite
    BRANCH = "branch"  # one branch is chosen: make the invite
    WHOLE_COMPANY = "all"  # every branch: make the invite


class InviteCb(CompanyFlowCallback, prefix="iv"):
    action: InviteAction
    role: Role
    branch: int = 0  # a branch id (BRANCH)


class MemberAction(StrEnum):  # browsing: every press only shows a view
    LIST = "list"
    OPEN = "open"
    ROLES = "roles"  # the role picker: starts a MemberChangeCb flow
    REMOVE = "rm"  # the removal question: starts a MemberChangeCb flow


class MemberCb(CompanyCallback, prefix="mb"):
    action: MemberAction
    member: int = 0  # a membership id
    page: int = 0  # the page of the list (LIST)


class MemberChangeAction(StrEnum):
    SET_ROLE = "set"
    REMOVE = "rm"


class MemberChangeCb(CompanyFlowCallback, prefix="mc"):
    """The buttons that change a member (a new role, the removal confirmed): one flow, started by the picker."""

    action: MemberChangeAction
    member: int  # a membership id
    role: Role | None = None  # the new role (SET_ROLE)


class SwitchCompanyCb(FlowCallback, prefix="sw"):
    """A /company picker's button: the flow is the picker's (a switch, /cancel or a new picker ends it)."""

    target: int  # the company to make active (any of the user's; checked by services.users.switch_company)


# --- settings -----------------------------------------------------------------------------------------------------


class SettingsAction(StrEnum):
    TIME = "time"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    MUTE = "mute"
    BRANCHES = "branches"
    BRANCH = "branch"
    ALL_BRANCHES = "allbranches"
    VIEW = "view"  # back to the settings card (Back / Done of the branch picker)
    # Explicit on/off (what the card's buttons carry, so a double tap has one effect; the toggles above stay for
    # cards sent before)
    DAILY_ON = "d1"
    DAILY_OFF = "d0"
    WEEKLY_ON = "w1"
    WEEKLY_OFF = "w0"
    MONTHLY_ON = "m1"
    MONTHLY_OFF = "m0"
    MUTE_ON = "mu1"
    MUTE_OFF = "mu0"
    BRANCH_ON = "b1"  # follow `branch` (BRANCH, a toggle, stays for cards sent before)
    BRANCH_OFF = "b0"  # stop following `branch`


class SettingsCb(CompanyCallback, prefix="st"):
    action: SettingsAction
    branch: int = 0  # a branch id (BRANCH)


# --- REGOS --------------------------------------------------------------------------------------------------------


class RegosAction(StrEnum):
    KEY = "key"
    SYNC = "sync"
    BRANCHES = "branches"
    RENAME = "branch"
    DETAILS_ON = "don"  # the receipt details backfill (explicit on/off, so a double tap has one effect)
    DETAILS_OFF = "doff"


class RegosCb(CompanyCallback, prefix="rg"):
    action: RegosAction
    branch: int = 0  # a branch id (RENAME)


class EmployeeAction(StrEnum):
    LIST = "list"
    OPEN = "open"
    LINK = "link"
    UNLINK = "unlink"


class EmployeeCb(CompanyCallback, prefix="re"):
    action: EmployeeAction
    employee: int = 0  # an employee (REGOS seller) id (OPEN, LINK, UNLINK)
    member: int = 0  # a membership id (LINK)
    page: int = 0  # the page of the list (LIST)


class EmployeeLinkCb(CompanyFlowCallback, prefix="rl"):
    """Tie a REGOS seller to a member (or to nobody): the steps of the seller card opened last."""

    action: EmployeeAction  # LINK, UNLINK
    employee: int  # an employee (REGOS seller) id
    member: int = 0  # a membership id (LINK)


class ImportDaysCallback(CompanyCallback, prefix="imd"):
    """Import the days of first..last that the books do not hold yet (handlers/sync.py): the history choice after
    connecting REGOS, Retry of a stopped import, and "import missing days" wherever a report says days are missing."""

    first: int  # date.toordinal()
    last: int  # date.toordinal()


# --- reports ------------------------------------------------------------------------------------------------------


class ReportPeriodCb(CompanyCallback, prefix="rpp"):
    kind: PeriodKind


class ReportBranchCb(CompanyCallback, prefix="rpb"):
    kind: PeriodKind
    first: int  # days since handlers.reports.DAY_ZERO
    last: int
    branch: int  # a branch id; 0: every branch the user may see


class ReportExportCb(CompanyCallback, prefix="rpx"):
    kind: PeriodKind
    first: int
    last: int
    branch: int
    fmt: ExportFormat


# --- approvals, expenses, cash ------------------------------------------------------------------------------------


class ApprovalCb(CompanyCallback, prefix="ap"):
    """A card's button (queued by services.approvals, which packs it the same way: `button_data`)."""

    action: ApprovalAction
    request: int  # an approval request id


class ApprovalListCb(CompanyCallback, prefix="al"):
    page: int = 0


class ExpenseFlowAction(StrEnum):
    CONFIRM_AMOUNT = "amt"  # yes, the amount above the ceiling is right
    REENTER_AMOUNT = "re"  # no, type it again
    CATEGORY = "cat"
    BRANCH = "br"
    SKIP = "skip"  # no comment / no receipt
    SUBMIT = "ok"
    CANCEL = "x"


class ExpenseFlowCb(CompanyFlowCallback, prefix="ex"):
    action: ExpenseFlowAction
    category: int = 0  # a category id (CATEGORY)
    branch: int = 0  # a branch id (BRANCH)


class ExpenseListAction(StrEnum):
    PERIOD = "p"  # next period
    BRANCH = "b"  # next branch
    STATUS = "s"  # next status
    CATEGORY = "c"  # next category
    PAGE = "pg"
    EXPORT = "xl"
    SETUP = "set"  # the owner's categories and limits


class ExpensePeriod(StrEnum):
    TODAY = "d"
    THIS_WEEK = "w"
    THIS_MONTH = "m"
    LAST_MONTH = "lm"


class ExpenseStatusFilter(StrEnum):
    ANY = "a"
    PENDING = "p"
    APPROVED = "ok"
    REJECTED = "no"
    WITHDRAWN = "wd"


class ExpenseListCb(CompanyCallback, prefix="el"):
    action: ExpenseListAction
    period: ExpensePeriod = ExpensePeriod.THIS_MONTH
    branch: int = 0  # a branch id; 0: every branch the reader sees
    status: ExpenseStatusFilter = ExpenseStatusFilter.ANY
    category: int = 0  # a category id; 0: any
    page: int = 0


class ExpenseSetupAction(StrEnum):
    ADD_CATEGORY = "add"
    REMOVE_CATEGORY = "rm"
    LIMIT = "lim"


class ExpenseLimit(StrEnum):
    AUTO_APPROVE = "auto"
    CEILING = "ceil"
    MANAGER = "mgr"


class ExpenseSetupCb(CompanyCallback, prefix="es"):
    action: ExpenseSetupAction
    category: int = 0  # a category id (REMOVE_CATEGORY)
    limit: ExpenseLimit | None = None  # which limit (LIMIT)


class CashAction(StrEnum):
    OPERATION = "op"  # an operation is chosen: pick the register
    REGISTER = "reg"  # the register is chosen: the target (transfer) or the amount
    TARGET = "to"  # the register a transfer goes to
    ALL = "all"  # collect everything the register holds
    SKIP_NOTE = "skip"
    CANCEL = "x"


class CashCb(CompanyFlowCallback, prefix="ca"):
    action: CashAction
    op: MovementKind | None = None  # DEPOSIT, WITHDRAWAL, TRANSFER_OUT, COLLECTION (OPERATION)
    box: int = 0  # a cash register id (REGISTER, TARGET)


class CashMenuAction(StrEnum):
    SETUP = "set"  # the owner's register limits and the approval threshold
    LIMIT = "lim"  # ask for a register's limit
    THRESHOLD = "thr"  # ask for the withdrawal approval threshold


class CashMenuCb(CompanyCallback, prefix="cm"):
    action: CashMenuAction
    box: int = 0  # a cash register id (LIMIT)


class CashAlertCb(CompanyCallback, prefix="cl"):
    """The limit alert's "confirm collection" (queued by services.cash, which packs it: `alert_button_data`)."""

    box: int  # a cash register id


# --- payroll ------------------------------------------------------------------------------------------------------


class PayrollAction(StrEnum):
    MONTH = "m"  # open (compute) the draft of `month`
    TYPE_MONTH = "t"  # ask for a month typed as YYYY-MM
    RECOMPUTE = "rc"
    SUBMIT = "sb"  # submit for approval (the approval engine)
    APPROVE = "ok"  # an approver's shortcut on the payroll card (decided through the engine)
    REGISTER = "xl"  # the register as Excel
    PAID = "pd"
    CORRECT = "cr"  # a new version of an approved month
    ADVANCE = "av"  # open (compute) the mid-month advance of `month`
    CARD = "cd"  # show the run's card again
    EDIT = "ed"  # a draft's employees, to edit their lines (`page`)
    EMPLOYEE = "em"  # one employee's days and manual lines in a draft
    SET = "st"  # ask for a value: `field` (days worked, or a manual line's kind)
    REMOVE = "rm"  # remove the manual line `item`
    SYNC = "sy"  # import the run's missing days from REGOS, then recompute


class PayrollField(StrEnum):
    NONE = "n"
    DAYS = "d"
    BONUS = "b"
    PENALTY = "p"
    DEDUCTION = "x"
    ADVANCE = "a"


class PayrollCb(CompanyCallback, prefix="pr"):
    action: PayrollAction
    month: int = 0  # YYYYMM (MONTH, ADVANCE, CORRECT)
    run: int = 0  # a payroll run id
    emp: int = 0  # an employee id (EMPLOYEE, SET, REMOVE)
    item: int = 0  # a manual line id (REMOVE), the page (EDIT)
    field: PayrollField = PayrollField.NONE  # SET


# --- supplier invoices (purchases) --------------------------------------------------------------------------------


class InvoiceAction(StrEnum):
    CONFIRM = "ok"
    EDIT = "ed"  # show the fields to fix
    FIELD = "f"  # ask for one field's value
    BACK = "bk"  # back to the card
    DISCARD = "x"
    E_INVOICE = "ei"  # the e-invoice (EHF) is received: the input VAT is creditable
    PAPER = "pp"  # back to a paper claim


class InvoiceCb(CompanyCallback, prefix="pu"):
    """A purchase card's button; the purchase's status makes a button of a decided card change nothing."""

    action: InvoiceAction
    purchase: int  # a purchase id
    field: EditField | None = None  # FIELD


class InvoicePeriod(StrEnum):
    THIS_MONTH = "m"
    LAST_MONTH = "lm"
    THIS_YEAR = "y"
    ALL = "a"


class InvoiceStatusFilter(StrEnum):
    LIVE = "l"  # confirmed and waiting for approval
    CONFIRMED = "ok"
    PENDING = "p"
    DISCARDED = "x"


class InvoiceListAction(StrEnum):
    PERIOD = "p"  # next period
    SUPPLIER = "s"  # next supplier
    STATUS = "st"  # next status
    PAGE = "pg"
    XLSX = "xl"
    JSON = "js"
    THRESHOLD = "thr"  # the owner: ask for the approval threshold


class InvoiceListCb(CompanyCallback, prefix="pl"):
    action: InvoiceListAction
    period: InvoicePeriod = InvoicePeriod.THIS_MONTH
    supplier: int = 0  # a supplier id; 0: any
    status: InvoiceStatusFilter = InvoiceStatusFilter.LIVE
    page: int = 0


# --- the assistant ------------------------------------------------------------------------------------------------


class AiFeedbackAction(StrEnum):
    UP = "up"
    DOWN = "dn"
    REASON = "rs"


class AiFeedbackCb(CompanyCallback, prefix="af"):
    """👍/👎 under an answer, then a reason for 👎; only the asker's own logged answer changes."""

    action: AiFeedbackAction
    exchange: int  # an ai_exchanges id
    reason: int = 0  # index into services.ai.assistant.REASONS


class AiExampleCb(CompanyCallback, prefix="ax"):
    """An example question offered when a question was not understood."""

    example: int  # 1..5: ai-example-N


# --- tax reports --------------------------------------------------------------------------------------------------


class TaxAction(StrEnum):
    MONTH = "m"  # open (compute) the report of `month`
    TYPE_MONTH = "t"  # ask for a month typed as YYYY-MM
    XLSX = "x"
    PDF = "p"
    RECOMPUTE = "rc"
    SUBMIT = "sb"  # draft → the approval engine (ready once approved)
    FILED = "fd"  # ready → filed (uploaded to my.soliq.uz)
    EINVOICES = "ei"  # ask for the register of received e-invoices (a file)


class TaxCb(CompanyCallback, prefix="tx"):
    action: TaxAction
    month: int = 0  # YYYYMM (MONTH)
    report: int = 0  # a tax report id


ALL_CALLBACKS: tuple[type[CallbackData], ...] = (
    LanguageCb, StartCb, NewCompanyCb, InviteCb, MemberCb, MemberChangeCb, SwitchCompanyCb, SettingsCb, RegosCb,
    EmployeeCb, EmployeeLinkCb,
    ReportPeriodCb, ReportBranchCb, ReportExportCb, ApprovalCb, ApprovalListCb, ExpenseFlowCb, ExpenseListCb,
    ExpenseSetupCb, CashCb, CashMenuCb, CashAlertCb, PayrollCb, ImportDaysCallback,
    InvoiceCb, InvoiceListCb, AiFeedbackCb, AiExampleCb, TaxCb,
)
