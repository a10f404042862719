"""Expenses: categories per company, settings (auto-approval limit, confirmation ceiling), submission through the
approval engine, the list with filters, the Excel export, and approved expenses for reports and summaries.

    draft = ExpenseDraft(amount=parse_amount("1,5 mln"), category_id=3, branch_id=2, comment="rent")
    outcome = await submit_expense(session, membership=ctx.membership, user=user, draft=draft, today=today)
    # outcome.auto_approved, or outcome.approvers got a card

Amounts typed by people are parsed by services.amounts.parse_amount. Nothing is written before the submission:
a flow abandoned halfway (/cancel, a timeout) leaves nothing behind.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from db.approvals import ApprovalRequest
from db.base import utcnow
from db.finance import AttachmentKind, Expense, ExpenseCategory, ExpenseStatus
from db.models import Branch, Company, Membership, Role, User
from services import approvals, audit
from services.approvals import Attachment, Card, Fact, Label, PolicyDefaults
from services.errors import NotFound, ValidationFailed
from services.permissions import Capability, branch_scope, can, require, visible_branch, visible_branches
from services.reports.periods import Period
from services.reports.render import Translate

KIND = "expense"
DEFAULT_CATEGORY_CODES = ("rent", "utilities", "transport", "supplies", "repair", "marketing", "other")
DEFAULT_AUTO_APPROVE_BELOW = Decimal("100000")
DEFAULT_CEILING = Decimal("50000000")
DEFAULT_MANAGER_LIMIT = Decimal("5000000")
MAX_CATEGORIES = 30
MAX_CATEGORY_NAME = 64
MAX_COMMENT = 500
IMAGE_MIME_PREFIX = "image/"
ACCEPTED_DOCUMENT_TYPES = ("application/pdf",)
_MONEY = Numeric(18, 2, asdecimal=True)
ZERO = Decimal("0.00")


# --- categories -----------------------------------------------------------------------------------------------------


def category_label(category: ExpenseCategory | None) -> Label | str:
    """A built-in category is named in each reader's language; the owner's own keep their name."""
    if category is None:
        return Label("expense-category-none")
    if category.code:
        return Label(f"expense-category-{category.code}")
    return category.name or ""


async def categories(session: AsyncSession, company_id: int) -> list[ExpenseCategory]:
    """The company's categories in their order; a company that never had any gets the built-in ones."""
    rows = list((await session.scalars(
        select(ExpenseCategory).where(ExpenseCategory.company_id == company_id)
        .order_by(ExpenseCategory.position, ExpenseCategory.id))).all())
    if not rows:
        rows = [ExpenseCategory(company_id=company_id, code=code, position=index)
                for index, code in enumerate(DEFAULT_CATEGORY_CODES)]
        session.add_all(rows)
        await session.flush()
    return [row for row in rows if row.deleted_at is None]


async def get_category(session: AsyncSession, company_id: int, category_id: int) -> ExpenseCategory:
    """An active category of the company; one deleted meanwhile (or another company's) is refused."""
    category = await session.get(ExpenseCategory, category_id)
    if category is None or category.company_id != company_id or category.deleted_at is not None:
        raise ValidationFailed("expense-category-gone")
    return category


def _same_name(category: ExpenseCategory, name: str, translate_names: Iterable[str]) -> bool:
    if category.name is not None:
        return category.name.casefold() == name.casefold()
    return name.casefold() in {text.casefold() for text in translate_names}


async def add_category(session: AsyncSession, membership: Membership, name: str,
                       builtin_names: Mapping[str, Sequence[str]] | None = None) -> ExpenseCategory:
    """The owner adds a category. `builtin_names` (code → its names in every language) refuses a duplicate of a
    built-in one too."""
    require(membership.role, Capability.EXPENSE_SETTINGS)
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > MAX_CATEGORY_NAME or cleaned.startswith("/"):
        raise ValidationFailed("expense-category-name-invalid", limit=MAX_CATEGORY_NAME)
    current = await categories(session, membership.company_id)
    if len(current) >= MAX_CATEGORIES:
        raise ValidationFailed("expense-category-too-many", limit=MAX_CATEGORIES)
    for category in current:
        if _same_name(category, cleaned, (builtin_names or {}).get(category.code or "", ())):
            raise ValidationFailed("expense-category-exists", name=cleaned)
    category = ExpenseCategory(company_id=membership.company_id, name=cleaned,
                               position=max((c.position for c in current), default=0) + 1)
    session.add(category)
    await session.flush()
    audit.record(session, "expense.category_added", company_id=membership.company_id, user_id=membership.user_id,
                 category_id=category.id, name=cleaned)
    return category


async def remove_category(session: AsyncSession, membership: Membership, category_id: int) -> ExpenseCategory:
    """Hides a category from new expenses; expenses already in it keep it."""
    require(membership.role, Capability.EXPENSE_SETTINGS)
    category = await get_category(session, membership.company_id, category_id)
    category.deleted_at = utcnow()
    audit.record(session, "expense.category_removed", company_id=membership.company_id,
                 user_id=membership.user_id, category_id=category.id)
    return category


# --- settings -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExpenseSettings:
    auto_approve_below: Decimal  # strictly below: approved at once (0: every expense is asked)
    ceiling: Decimal  # above: the submitter confirms the amount first (a typo guard)


def expense_settings(company: Company) -> ExpenseSettings:
    raw = dict((company.settings or {}).get("expenses") or {})
    return ExpenseSettings(
        auto_approve_below=Decimal(str(raw.get("auto_approve_below", DEFAULT_AUTO_APPROVE_BELOW))),
        ceiling=Decimal(str(raw.get("ceiling", DEFAULT_CEILING))),
    )


def update_expense_settings(session: AsyncSession, membership: Membership, company: Company, *,
                            auto_approve_below: Decimal | None = None, ceiling: Decimal | None = None) -> None:
    require(membership.role, Capability.EXPENSE_SETTINGS)
    raw = dict((company.settings or {}).get("expenses") or {})
    if auto_approve_below is not None:
        raw["auto_approve_below"] = f"{auto_approve_below:f}"
    if ceiling is not None:
        raw["ceiling"] = f"{ceiling:f}"
    company.settings = {**(company.settings or {}), "expenses": raw}
    audit.record(session, "expense.settings", company_id=company.id, user_id=membership.user_id,
                 **{key: str(value) for key, value in raw.items()})


def needs_confirmation(company: Company, amount: Decimal) -> bool:
    return amount > expense_settings(company).ceiling


def manager_limit(company: Company) -> Decimal | None:
    return approvals.company_policy(company, EXPENSE_KIND).limit_for(Role.MANAGER)


def set_manager_limit(session: AsyncSession, membership: Membership, company: Company, amount: Decimal) -> None:
    require(membership.role, Capability.EXPENSE_SETTINGS)
    approvals.set_company_policy(company, KIND, limits={Role.MANAGER: amount})
    audit.record(session, "expense.manager_limit", company_id=company.id, user_id=membership.user_id,
                 limit=f"{amount:f}")


# --- attachments ----------------------------------------------------------------------------------------------------


def check_document(mime_type: str | None, file_name: str | None) -> AttachmentKind:
    """A receipt sent as a file must be an image or a PDF; anything else is refused."""
    mime = (mime_type or "").lower()
    name = (file_name or "").lower()
    if mime.startswith(IMAGE_MIME_PREFIX) or mime in ACCEPTED_DOCUMENT_TYPES or name.endswith(".pdf"):
        return AttachmentKind.DOCUMENT
    raise ValidationFailed("expense-receipt-not-image")


def clean_comment(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > MAX_COMMENT:
        raise ValidationFailed("expense-comment-too-long", limit=MAX_COMMENT)
    return cleaned or None


# --- submission -----------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ExpenseDraft:
    amount: Decimal
    category_id: int
    branch_id: int | None = None
    comment: str | None = None
    attachment_kind: str | None = None
    attachment_file_id: str | None = None


@dataclass(frozen=True, slots=True)
class SubmitOutcome:
    expense: Expense
    auto_approved: bool
    approvers: list[User] = field(default_factory=list)
    request: ApprovalRequest | None = None


async def expense_branches(session: AsyncSession, membership: Membership) -> list[Branch]:
    return await visible_branches(session, membership)


async def submit_expense(session: AsyncSession, *, membership: Membership, user: User, draft: ExpenseDraft,
                         today: date) -> SubmitOutcome:
    """Records the expense and asks for approval, or approves it at once under the company's limit. Every check
    is made again here (the category may be gone, the branch out of reach); a refusal saves nothing."""
    require(membership.role, Capability.EXPENSE_SUBMIT)
    company = await session.get_one(Company, membership.company_id)
    if draft.amount <= 0:
        raise ValidationFailed("amount-not-positive")
    category = await get_category(session, company.id, draft.category_id)
    branch_id = draft.branch_id
    if branch_id is not None and await visible_branch(session, membership, branch_id) is None:
        raise ValidationFailed("error-branch-not-yours")
    if branch_id is None and await expense_branches(session, membership):
        raise ValidationFailed("expense-branch-needed")
    settings = expense_settings(company)
    auto = draft.amount < settings.auto_approve_below
    expense = Expense(
        company_id=company.id, branch_id=branch_id, category_id=category.id, amount=draft.amount,
        comment=clean_comment(draft.comment), attachment_kind=draft.attachment_kind,
        attachment_file_id=draft.attachment_file_id, spent_on=today, submitted_by_user_id=user.id,
        status=ExpenseStatus.APPROVED if auto else ExpenseStatus.PENDING, auto_approved=auto,
        decided_at=utcnow() if auto else None,
    )
    session.add(expense)
    await session.flush()
    audit.record(session, "expense.submitted", company_id=company.id, user_id=user.id, expense_id=expense.id,
                 amount=f"{draft.amount:f}", category_id=category.id, branch_id=branch_id, auto_approved=auto)
    if auto:
        return SubmitOutcome(expense, auto_approved=True)
    submitted = await approvals.submit(session, kind=KIND, company_id=company.id, object_id=expense.id,
                                       requested_by=user, amount=expense.amount, branch_id=branch_id)
    expense.approval_request_id = submitted.request.id
    return SubmitOutcome(expense, auto_approved=False, approvers=submitted.approvers, request=submitted.request)


# --- the approvable kind ------------------------------------------------------------------------------------------


class ExpenseApproval(approvals.ApprovalKind):
    name = KIND
    default_policy = PolicyDefaults(Capability.APPROVE, limits={Role.MANAGER: DEFAULT_MANAGER_LIMIT})

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> Expense | None:
        expense = await session.get(Expense, object_id)
        return expense if expense is not None and expense.company_id == company_id else None

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        expense: Expense = obj
        category = await session.get(ExpenseCategory, expense.category_id) if expense.category_id else None
        branch = await session.get(Branch, expense.branch_id) if expense.branch_id else None
        attachment = (Attachment(expense.attachment_kind or AttachmentKind.PHOTO, expense.attachment_file_id)
                      if expense.attachment_file_id else None)
        return Card(
            Label("expense-card-title", {"id": expense.id}),
            facts=(
                Fact("expense-fact-amount", expense.amount),
                Fact("expense-fact-category", category_label(category)),
                Fact("expense-fact-branch", branch.name if branch else None),
                Fact("expense-fact-day", expense.spent_on),
                Fact("expense-fact-comment", expense.comment),
            ),
            attachment=attachment,
        )

    async def _settle(self, obj: Any, status: ExpenseStatus) -> None:
        expense: Expense = obj
        expense.status = status
        expense.decided_at = utcnow()

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await self._settle(obj, ExpenseStatus.APPROVED)

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await self._settle(obj, ExpenseStatus.REJECTED)

    async def on_withdraw(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await self._settle(obj, ExpenseStatus.WITHDRAWN)


EXPENSE_KIND = approvals.register(ExpenseApproval())


# --- the list, the export -----------------------------------------------------------------------------------------


STATUS_FILTERS: tuple[ExpenseStatus | None, ...] = (None, *ExpenseStatus)


@dataclass(frozen=True, slots=True)
class ExpenseFilter:
    period: Period
    branch_id: int | None = None  # None: every branch the reader may see
    status: ExpenseStatus | None = None
    category_id: int | None = None


@dataclass(frozen=True, slots=True)
class ExpensePage:
    rows: list[Expense]
    total_count: int
    total_amount: Decimal
    page: int
    pages: int


def _visible_conditions(membership: Membership, flt: ExpenseFilter) -> list[Any]:
    conditions: list[Any] = [Expense.company_id == membership.company_id, Expense.spent_on >= flt.period.first,
                             Expense.spent_on <= flt.period.last]
    if not can(membership.role, Capability.EXPENSE_READ):
        conditions.append(Expense.submitted_by_user_id == membership.user_id)  # a cashier sees their own
    scope = branch_scope(membership)
    if scope is not None:
        conditions.append(Expense.branch_id.in_(sorted(scope)))
    if flt.branch_id is not None:
        conditions.append(Expense.branch_id == flt.branch_id)
    if flt.status is not None:
        conditions.append(Expense.status == flt.status)
    if flt.category_id is not None:
        conditions.append(Expense.category_id == flt.category_id)
    return conditions


async def list_expenses(session: AsyncSession, membership: Membership, flt: ExpenseFilter, *, page: int = 0,
                        per_page: int = 10) -> ExpensePage:
    """Newest first, paged; the totals are over every matching expense."""
    conditions = _visible_conditions(membership, flt)
    count, amount = (await session.execute(
        select(func.count(), type_coerce(func.sum(Expense.amount), _MONEY)).where(*conditions))).one()
    pages = max(1, -(-int(count) // per_page))
    page = min(max(0, page), pages - 1)
    rows = (await session.scalars(
        select(Expense).where(*conditions).order_by(Expense.spent_on.desc(), Expense.id.desc())
        .offset(page * per_page).limit(per_page))).all()
    return ExpensePage(list(rows), int(count), Decimal(amount or 0).quantize(Decimal("0.01")), page, pages)


async def all_expenses(session: AsyncSession, membership: Membership, flt: ExpenseFilter) -> list[Expense]:
    return list((await session.scalars(
        select(Expense).where(*_visible_conditions(membership, flt))
        .order_by(Expense.spent_on, Expense.id))).all())


async def names_for(session: AsyncSession, expenses: Iterable[Expense]) -> dict[str, dict[int, Any]]:
    """Branches, categories and submitters of a list, by id (one query each)."""
    rows = list(expenses)
    branch_ids = {e.branch_id for e in rows if e.branch_id}
    category_ids = {e.category_id for e in rows if e.category_id}
    user_ids = {e.submitted_by_user_id for e in rows if e.submitted_by_user_id}
    branches = {b.id: b for b in (await session.scalars(select(Branch).where(Branch.id.in_(branch_ids)))).all()}
    cats = {c.id: c for c in (await session.scalars(
        select(ExpenseCategory).where(ExpenseCategory.id.in_(category_ids)))).all()}
    users = {u.id: u for u in (await session.scalars(select(User).where(User.id.in_(user_ids)))).all()}
    return {"branches": branches, "categories": cats, "users": users}


def _label_text(label: Label | str, translate: Translate) -> str:
    return translate(label.key, **dict(label.params)) if isinstance(label, Label) else label


def expenses_xlsx(rows: Sequence[Expense], names: dict[str, dict[int, Any]], translate: Translate) -> bytes:
    """The expenses as an Excel sheet: amounts as numbers, dates as dates, a total row."""
    from openpyxl import Workbook  # here: reading expenses (the assistant, a card) needs no Excel
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translate("expenses-sheet")[:31]
    headers = ["expenses-col-day", "expenses-col-id", "expenses-col-branch", "expenses-col-category",
               "expenses-col-amount", "expenses-col-status", "expenses-col-by", "expenses-col-comment"]
    sheet.append([translate(key) for key in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    total = ZERO
    for expense in rows:
        branch = names["branches"].get(expense.branch_id or 0)
        category = names["categories"].get(expense.category_id or 0)
        user = names["users"].get(expense.submitted_by_user_id or 0)
        sheet.append([expense.spent_on, expense.id, branch.name if branch else "",
                      _label_text(category_label(category), translate), expense.amount,
                      translate(f"expense-status-{expense.status}"), user.first_name if user else "",
                      _safe_cell(expense.comment or "")])
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
        sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
        if expense.status == ExpenseStatus.APPROVED:
            total += expense.amount
    sheet.append(["", "", "", translate("expenses-total-approved"), total])
    sheet.cell(row=sheet.max_row, column=5).number_format = "#,##0.00"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGH", (12, 8, 20, 20, 16, 14, 18, 40), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_cell(text: str) -> str:
    """What a person typed is never run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


# --- for reports and the daily summary ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    category: Label | str
    count: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ApprovedExpenses:
    count: int
    amount: Decimal
    by_category: list[CategoryTotal]


async def approved_expenses(session: AsyncSession, company: Company | int, period: Period,
                            branches: Iterable[int] | None = None) -> ApprovedExpenses:
    """Approved expenses of a period (by the day they were spent) for some branches (None: all), biggest
    category first: the block the sales report and the daily summary show."""
    company_id = company if isinstance(company, int) else company.id
    conditions = [Expense.company_id == company_id, Expense.status == ExpenseStatus.APPROVED,
                  Expense.spent_on >= period.first, Expense.spent_on <= period.last]
    if branches is not None:
        conditions.append(Expense.branch_id.in_(list(branches)))
    rows = (await session.execute(
        select(Expense.category_id, func.count(), type_coerce(func.sum(Expense.amount), _MONEY))
        .where(*conditions).group_by(Expense.category_id))).all()
    cats = {c.id: c for c in (await session.scalars(
        select(ExpenseCategory).where(ExpenseCategory.id.in_([r[0] for r in rows if r[0]])))).all()}
    totals = [CategoryTotal(category_label(cats.get(category_id or 0)), int(count),
                            Decimal(amount or 0).quantize(Decimal("0.01"))) for category_id, count, amount in rows]
    totals.sort(key=lambda total: -total.amount)
    return ApprovedExpenses(sum(t.count for t in totals), sum((t.amount for t in totals), ZERO), totals)


async def expense_of(session: AsyncSession, company_id: int, expense_id: int) -> Expense:
    expense = await session.get(Expense, expense_id)
    if expense is None or expense.company_id != company_id:
        raise NotFound("expense-not-found")
    return expense


__all__ = [
    "DEFAULT_CATEGORY_CODES",
    "EXPENSE_KIND",
    "KIND",
    "STATUS_FILTERS",
    "ApprovedExpenses",
    "CategoryTotal",
    "ExpenseApproval",
    "ExpenseDraft",
    "ExpenseFilter",
    "ExpensePage",
    "ExpenseSettings",
    "SubmitOutcome",
    "add_category",
    "all_expenses",
    "approved_expenses",
    "categories",
    "category_label",
    "check_document",
    "clean_comment",
    "expense_of",
    "expense_settings",
    "expenses_xlsx",
    "get_category",
    "list_expenses",
    "manager_limit",
    "names_for",
    "needs_confirmation",
    "remove_category",
    "set_manager_limit",
    "submit_expense",
    "update_expense_settings",
]
