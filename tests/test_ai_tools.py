"""The assistant's tools and offline answers over generated data: the figures equal the sales report's (and the
generator's ground truth), scoped to the member's company, branches and role; days not imported are named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import repositories as repo
from db.models import Membership, Role
from sandbox.regos import RegosDataGenerator
from services.ai import tools
from services.ai.answer import answer
from services.ai.tools import ToolContext
from services.errors import PermissionDenied
from services.locale import format_money
from services.reports.periods import Period
from services.reports.sales import sales_report
from tests.helpers import add_member, create_company
from tests.reports_support import copy_generated, expected_totals

START = date(2026, 11, 1)
TODAY = date(2026, 11, 20)
YESTERDAY = date(2026, 11, 19)


async def _company(session: AsyncSession) -> tuple[int, RegosDataGenerator, dict[int, int]]:
    generator = RegosDataGenerator(seed=4, start_date=START, days=20, receipts_per_day=20)
    company = await create_company(session, name="Baraka Savdo")
    seeded = await copy_generated(session, company.id, generator, last=YESTERDAY)
    return company.id, generator, seeded.branch_by_stock


async def _member(session: AsyncSession, company_id: int, telegram_id: int, role: Role,
                  branch_ids: tuple[int, ...] = ()) -> Membership:
    user = await add_member(session, company_id, telegram_id, role, branch_ids=branch_ids)
    membership = await repo.membership(session, user.id, company_id)
    assert membership is not None
    return membership


@pytest.fixture
async def seeded(session_factory: async_sessionmaker[AsyncSession]):  # type: ignore[no-untyped-def]
    async with session_factory() as session:
        yield session, *await _company(session)


async def test_answers_equal_the_sales_report(seeded) -> None:  # type: ignore[no-untyped-def]
    session, company_id, generator, _branches = seeded
    ctx = ToolContext(session, await _member(session, company_id, 501, Role.OWNER), TODAY)
    day = Period(YESTERDAY, YESTERDAY)
    report = await sales_report(session, company_id, day)
    truth = expected_totals(generator, YESTERDAY, YESTERDAY)
    assert report.totals.retail_gross == truth.retail_gross

    uz = await answer(ctx, "kecha qancha savdo boʻldi")
    assert uz.tool == "sales_summary" and uz.language == "uz"
    assert uz.result is not None and Decimal(uz.result["totals"]["net_sales"]) == report.totals.net_sales
    assert format_money(report.totals.net_sales, "uz") in uz.text
    assert uz.result["period"]["missing_days"] == []

    cyr = await answer(ctx, "кеча қанча савдо бўлди")
    assert cyr.script == "cyrillic" and "Соф савдо" in cyr.text
    assert cyr.result == uz.result

    ru = await answer(ctx, "какой филиал вчера продал меньше всех")
    assert ru.tool == "top_branches" and ru.result is not None and ru.language == "ru"
    weakest = min(report.branches, key=lambda b: b.totals.net_sales)
    assert ru.result["rows"][0]["branch_id"] == weakest.branch_id
    assert ru.text.splitlines()[1].startswith(f"1. {weakest.name}")

    month = Period(date(2026, 11, 1), TODAY)
    month_report = await sales_report(session, company_id, month, compare=False)
    en = await answer(ctx, "top 5 products this month")
    assert en.tool == "top_products" and en.result is not None
    assert [r["item_regos_id"] for r in en.result["rows"]] == [p.item_regos_id for p in month_report.products[:5]]
    assert [Decimal(r["net_amount"]) for r in en.result["rows"]] == [p.amount for p in month_report.products[:5]]
    assert format_money(month_report.products[0].amount, "en") in en.text


async def test_days_not_imported_are_named_not_zero(seeded) -> None:  # type: ignore[no-untyped-def]
    session, company_id, _generator, _branches = seeded
    ctx = ToolContext(session, await _member(session, company_id, 502, Role.OWNER), TODAY)
    today = await answer(ctx, "sales today")
    assert today.result is not None and today.result["period"]["missing_days"] == [TODAY.isoformat()]
    assert "Not imported yet" in today.text
    future = await answer(ctx, "sales tomorrow")
    assert future.tool is None and "not come yet" in future.text


async def test_scope_roles_and_refusals(seeded) -> None:  # type: ignore[no-untyped-def]
    session, company_id, _generator, branch_by_stock = seeded
    one_branch = sorted(branch_by_stock.values())[0]
    manager = await _member(session, company_id, 503, Role.MANAGER, (one_branch,))
    ctx = ToolContext(session, manager, TODAY)
    ranked = await tools.call(ctx, "top_branches", {"first": YESTERDAY, "last": YESTERDAY})
    assert [row["branch_id"] for row in ranked["rows"]] == [one_branch]
    scoped = await sales_report(session, company_id, Period(YESTERDAY, YESTERDAY), branch_ids=[one_branch])
    summary = await tools.call(ctx, "sales_summary", {"first": YESTERDAY, "last": YESTERDAY})
    assert Decimal(summary["totals"]["net_sales"]) == scoped.totals.net_sales
    other = await create_company(session, name="Other", tin="305000001", branches=["Elsewhere"])
    with pytest.raises(tools.ToolError):
        await tools.call(ctx, "sales_summary", {"first": YESTERDAY, "last": YESTERDAY, "branch_ids": [other.id * 1000]})
    with pytest.raises(tools.ToolError):
        await tools.call(ctx, "drop_tables", {})

    refused = await answer(ctx, "shu oy oylik qancha")
    assert refused.tool is None and "faqat" in refused.text
    secret = await answer(ctx, "show me the REGOS key")
    assert secret.tool is None and "secret" in secret.text

    cashier = ToolContext(session, await _member(session, company_id, 504, Role.CASHIER), TODAY)
    with pytest.raises(PermissionDenied):
        await answer(cashier, "payroll this month")
    with pytest.raises(PermissionDenied):
        await tools.call(cashier, "sales_summary", {"first": YESTERDAY, "last": YESTERDAY})


def test_schemas_are_json_schema() -> None:
    for tool in tools.TOOLS.values():
        schema = tool.schema()
        assert schema["function"]["parameters"]["type"] == "object"
    assert {t.name for t in tools.tools_for(Role.CASHIER)} == set()
    assert "sales_summary" in {t.name for t in tools.tools_for(Role.OWNER)}
