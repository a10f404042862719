"""Expenses: categories per company (built-in and the owner's own), auto-approval under the limit, the ceiling,
refusals that save nothing, the list with filters, the Excel export, approved expenses for reports."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db import repositories as repo
from db.finance import Expense, ExpenseCategory, ExpenseStatus
from db.models import Company, Membership, Role, User
from services import approvals, expenses
from services.errors import PermissionDenied, ValidationFailed
from services.expenses import ExpenseDraft, ExpenseFilter
from services.reports.periods import Period
from tests.helpers import add_member, create_company

DAY = date(2026, 11, 20)


async def setup(session: AsyncSession) -> tuple[Company, Membership, Membership, Membership, list[int]]:
    company = await create_company(session, owner=3001, owner_name="Dilnoza", branches=["North", "South"])
    branch_ids = [b.id for b in await repo.branches_of_company(session, company.id)]
    cashier_user = await add_member(session, company.id, 3002, Role.CASHIER, first_name="Malika",
                                    branch_ids=[branch_ids[0]])
    accountant_user = await add_member(session, company.id, 3003, Role.ACCOUNTANT, first_name="Sardor")
    owner_user = await session.scalar(select(User).where(User.telegram_id == 3001))
    assert owner_user is not None
    owner = await repo.membership(session, owner_user.id, company.id)
    cashier = await repo.membership(session, cashier_user.id, company.id)
    accountant = await repo.membership(session, accountant_user.id, company.id)
    assert owner and cashier and accountant
    return company, owner, cashier, accountant, branch_ids


async def user_of(session: AsyncSession, membership: Membership) -> User:
    return await session.get_one(User, membership.user_id)


async def test_categories_built_in_then_the_owners_own(session: AsyncSession) -> None:
    company, owner, cashier, _, _ = await setup(session)
    built_in = await expenses.categories(session, company.id)
    assert [c.code for c in built_in] == list(expenses.DEFAULT_CATEGORY_CODES)
    assert translate("uz", "expense-category-repair") == "Taʼmirlash"
    names = {c.code or "": [translate(loc, f"expense-category-{c.code}") for loc in ("uz", "ru", "en")]
             for c in built_in}
    added = await expenses.add_category(session, owner, "  Bank   fees ", names)
    assert added.name == "Bank fees"
    with pytest.raises(ValidationFailed, match="expense-category-exists"):
        await expenses.add_category(session, owner, "bank FEES", names)
    with pytest.raises(ValidationFailed, match="expense-category-exists"):
        await expenses.add_category(session, owner, "Аренда", names)  # the built-in "rent", in Russian
    with pytest.raises(ValidationFailed, match="expense-category-name-invalid"):
        await expenses.add_category(session, owner, "/start", names)
    with pytest.raises(PermissionDenied):
        await expenses.add_category(session, cashier, "Mine", names)
    await expenses.remove_category(session, owner, built_in[0].id)
    assert built_in[0].id not in {c.id for c in await expenses.categories(session, company.id)}
    with pytest.raises(ValidationFailed, match="expense-category-gone"):
        await expenses.get_category(session, company.id, built_in[0].id)
    # removing every category does not bring the built-in ones back
    for category in await expenses.categories(session, company.id):
        await expenses.remove_category(session, owner, category.id)
    assert await expenses.categories(session, company.id) == []


async def test_auto_approval_below_the_limit_and_approval_above(session: AsyncSession) -> None:
    company, owner, cashier, _, branches = await setup(session)
    category = (await expenses.categories(session, company.id))[0]
    user = await user_of(session, cashier)
    small = await expenses.submit_expense(session, membership=cashier, user=user, today=DAY,
                                          draft=ExpenseDraft(Decimal("99999.99"), category.id, branches[0]))
    assert small.auto_approved and small.expense.status == ExpenseStatus.APPROVED and small.request is None
    big = await expenses.submit_expense(session, membership=cashier, user=user, today=DAY,
                                        draft=ExpenseDraft(Decimal("100000"), category.id, branches[0], "tape"))
    assert not big.auto_approved and big.expense.status == ExpenseStatus.PENDING
    assert big.request is not None and [u.telegram_id for u in big.approvers] == [3001]

    expenses.update_expense_settings(session, owner, company, auto_approve_below=Decimal("0"),
                                     ceiling=Decimal("2000000"))
    assert expenses.expense_settings(company).auto_approve_below == 0
    assert expenses.needs_confirmation(company, Decimal("2000000.01"))
    assert not expenses.needs_confirmation(company, Decimal("2000000"))
    asked = await expenses.submit_expense(session, membership=cashier, user=user, today=DAY,
                                          draft=ExpenseDraft(Decimal("1"), category.id, branches[0]))
    assert not asked.auto_approved
    expenses.set_manager_limit(session, owner, company, Decimal("7000000"))
    assert expenses.manager_limit(company) == Decimal("7000000")


async def test_refusals_save_nothing(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        company, owner, cashier, _, branches = await setup(session)
        category = (await expenses.categories(session, company.id))[0]
        await session.commit()
        cashier_id, owner_id, category_id, company_id = cashier.user_id, owner.user_id, category.id, company.id
        cases = [
            (ExpenseDraft(Decimal("500000"), category.id, branches[1]), "error-branch-not-yours"),  # not her branch
            (ExpenseDraft(Decimal("500000"), category.id, None), "expense-branch-needed"),
            (ExpenseDraft(Decimal("0"), category.id, branches[0]), "amount-not-positive"),
            (ExpenseDraft(Decimal("500000"), category.id + 999, branches[0]), "expense-category-gone"),
            (ExpenseDraft(Decimal("500000"), category.id, branches[0], "x" * 501), "expense-comment-too-long"),
        ]

        async def member(user_id: int) -> Membership:
            found = await repo.membership(session, user_id, company_id)
            assert found is not None
            return found

        for draft, key in cases:
            cashier = await member(cashier_id)
            with pytest.raises(ValidationFailed) as refused:
                await expenses.submit_expense(session, membership=cashier, user=await user_of(session, cashier),
                                              today=DAY, draft=draft)
            assert refused.value.key == key
            await session.rollback()
        await expenses.remove_category(session, await member(owner_id), category_id)  # deleted meanwhile
        await session.commit()
        cashier = await member(cashier_id)
        with pytest.raises(ValidationFailed, match="expense-category-gone"):
            await expenses.submit_expense(session, membership=cashier, user=await user_of(session, cashier),
                                          today=DAY, draft=ExpenseDraft(Decimal("500000"), category_id, branches[0]))
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(Expense)) == 0


def test_receipt_files_must_be_pictures_or_pdf() -> None:
    assert expenses.check_document("image/png", "r.png") == "document"
    assert expenses.check_document("application/pdf", "r.pdf") == "document"
    assert expenses.check_document(None, "scan.PDF") == "document"
    for mime, name in (("application/x-msdownload", "r.exe"), ("text/plain", "r.txt"), (None, None)):
        with pytest.raises(ValidationFailed, match="expense-receipt-not-image"):
            expenses.check_document(mime, name)


async def test_list_filters_visibility_export_and_approved_totals(session: AsyncSession) -> None:
    company, owner, cashier, accountant, branches = await setup(session)
    cats = await expenses.categories(session, company.id)
    owner_user, cashier_user = await user_of(session, owner), await user_of(session, cashier)
    made = []
    for days_ago, amount, cat, branch, by, member in [
        (0, "50000", cats[0], branches[0], cashier_user, cashier),  # auto-approved
        (1, "2500000", cats[1], branches[0], cashier_user, cashier),  # pending
        (2, "700000", cats[1], branches[1], owner_user, owner),  # pending, the owner's
        (40, "60000", cats[2], branches[1], owner_user, owner),  # auto-approved, last month or before
    ]:
        outcome = await expenses.submit_expense(session, membership=member, user=by, today=DAY - timedelta(days_ago),
                                                draft=ExpenseDraft(Decimal(amount), cat.id, branch, "=SUM(A1)"))
        made.append(outcome)
    await approvals.decide(session, company_id=company.id, request_id=made[2].request.id if made[2].request else 0,
                           actor=owner, approve=True)
    month = Period(DAY.replace(day=1), DAY)

    page = await expenses.list_expenses(session, owner, ExpenseFilter(month), per_page=2)
    assert page.total_count == 3 and page.pages == 2 and page.total_amount == Decimal("3250000.00")
    assert [e.id for e in page.rows] == [made[0].expense.id, made[1].expense.id]  # newest first
    pending = await expenses.list_expenses(session, owner, ExpenseFilter(month, status=ExpenseStatus.PENDING))
    assert [e.id for e in pending.rows] == [made[1].expense.id]
    by_branch = await expenses.list_expenses(session, owner, ExpenseFilter(month, branch_id=branches[1]))
    assert [e.id for e in by_branch.rows] == [made[2].expense.id]
    by_category = await expenses.list_expenses(session, accountant, ExpenseFilter(month, category_id=cats[1].id))
    assert by_category.total_count == 2  # the accountant reads every branch
    own = await expenses.list_expenses(session, cashier, ExpenseFilter(month))
    assert {e.submitted_by_user_id for e in own.rows} == {cashier.user_id}  # a cashier sees their own

    rows = await expenses.all_expenses(session, owner, ExpenseFilter(month))
    names = await expenses.names_for(session, rows)
    xlsx = expenses.expenses_xlsx(rows, names, partial(translate, "ru"))
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:5] == ["День", "№", "Филиал", "Категория", "Сумма"]
    assert [row[3] for row in values[1:4]] == ["Коммунальные услуги", "Коммунальные услуги", "Аренда"]  # oldest first
    assert values[1][7] == "'=SUM(A1)"  # never run as a formula
    assert values[-1][3] == "Всего одобрено" and Decimal(str(values[-1][4])) == Decimal("750000")

    approved = await expenses.approved_expenses(session, company, month)
    assert approved.count == 2 and approved.amount == Decimal("750000.00")
    assert [t.amount for t in approved.by_category] == [Decimal("700000.00"), Decimal("50000.00")]
    only_north = await expenses.approved_expenses(session, company.id, month, [branches[0]])
    assert only_north.amount == Decimal("50000.00")
    assert (await session.scalar(select(func.count()).select_from(ExpenseCategory))) == len(cats)
