"""Output VAT from what REGOS says, synced from the running fake (rate limit on) and checked against its generator:
each item's VAT from Item/Get (standard, zero-rated, exempt) stored by the reference sync and used per item, the
operator's class winning; each wholesale document's `vat_calculation_type` stored by the wholesale sync and taxed
as VAT included, VAT on top, or without VAT; items read again once after the migration forgot their `last_update`;
the demo company's tax regime covers the months of its fake REGOS history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Company, CompanyTaxRegime, TaxRegime
from db.regos_data import Item, SyncRun, SyncRunStatus, WholesaleDoc
from sandbox.demo import tax_regime_start
from sandbox.regos import FakeRegos
from sandbox.seed import seed_demo_company
from services.regos import RateLimit, RegosClient
from services.sync import SyncOptions, sync_company
from services.tax.calc import item_vat_class, money, vat_in_gross
from services.tax.compute import BeforeCompany, compute_month
from services.tax.regimes import set_item_vat_class
from tests.helpers import FakeRegosFactory, create_company
from tests.sync_support import FAST_RETRY, START, connect, days_from

D = Decimal
DAYS = days_from(START, 3)
JAN = date(2025, 1, 1)
TODAY = date(2025, 2, 5)
RATE = D("0.12")


async def sync(session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company_id: int, days: list[date],
               tmp: Path) -> None:
    client = RegosClient(fake.default_key, base_url=fake.gateway_url, rate_limit=RateLimit(), retry=FAST_RETRY)
    try:
        result = await sync_company(session_factory, company_id, date_from=days[0], date_to=days[-1], client=client,
                                    archive_dir=tmp / "archive", options=SyncOptions(fetch_details=False))
    finally:
        await client.aclose()
    assert result.ok, result


async def vat_payer(session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos) -> int:
    company_id = (await create_company(session_factory, regime=TaxRegime.VAT)).id
    async with session_factory() as session:
        await session.execute(update(CompanyTaxRegime).where(CompanyTaxRegime.company_id == company_id)
                              .values(effective_from=JAN))
        await session.commit()
    await connect(session_factory, fake, company_id)
    return company_id


def truth(fake: FakeRegos) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    retail: dict[str, Decimal] = {}
    wholesale: dict[str, Decimal] = {}
    for day in DAYS:
        by_vat, by_type = fake.generator.vat_bases(day)
        for key, value in by_vat.items():
            retail[key] = retail.get(key, D(0)) + value
        for key, value in by_type.items():
            wholesale[key] = wholesale.get(key, D(0)) + value
    return retail, wholesale


def test_item_vat_class_from_regos() -> None:
    assert item_vat_class(D("12.00"), "QQS 12%") == "standard"
    assert item_vat_class(D("0.00"), "QQS 0%") == "zero"
    assert item_vat_class(D("0"), "QQSsiz") == "exempt"
    assert item_vat_class(D("0"), "Без НДС") == "exempt"
    assert item_vat_class(None, None) is None


async def test_output_vat_by_item_rate_and_wholesale_type_equals_the_fakes_truth(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory, tmp_path: Path
) -> None:
    fake = await start_fake_regos(seed=41, start_date=START, days=3, receipts_per_day=30, branches=1,
                                  tills_per_branch=1, wholesale_per_day=4)  # the real gateway's 2/s limit
    company_id = await vat_payer(session_factory, fake)
    await sync(session_factory, fake, company_id, DAYS, tmp_path)
    retail, wholesale = truth(fake)
    assert set(retail) == {"QQS 12%", "QQS 0%", "QQSsiz"} and set(wholesale) == {"Include", "Exclude", "No"}

    async with session_factory() as session:
        # the reference sync keeps each item's VAT as Item/Get gives it
        items = {i.regos_id: i for i in (await session.execute(select(Item).where(
            Item.company_id == company_id))).scalars()}
        assert len(items) == len(fake.generator.items)
        for record in fake.generator.items:
            row = items[record.id]
            assert row.vat_rate == D(record.vat[2]) and row.vat_class == {"QQS 12%": "standard", "QQS 0%": "zero",
                                                                          "QQSsiz": "exempt"}[record.vat[1]]
        # and the wholesale sync each document's VAT calculation type
        types = set((await session.execute(select(WholesaleDoc.vat_calculation_type).where(
            WholesaleDoc.company_id == company_id))).scalars())
        assert types <= {"Include", "Exclude", "No"} and None not in types
        # the month counts as imported (the fake's three days hold all its sales)
        session.add(SyncRun(company_id=company_id, trigger="cli", window_from=JAN, window_to=date(2025, 1, 31),
                            status=SyncRunStatus.OK))
        await session.flush()
        company = await session.get_one(Company, company_id)
        figures = await compute_month(session, company, JAN, TODAY)
        out = figures["taxes"]["vat"]["output"]
        assert D(out["retail_standard"]) == retail["QQS 12%"]
        assert D(out["retail_zero_rated"]) == retail["QQS 0%"] and D(out["retail_exempt"]) == retail["QQSsiz"]
        assert D(out["vat_retail"]) == vat_in_gross(retail["QQS 12%"], RATE)
        assert (D(out["wholesale_included"]), D(out["wholesale_on_top"]), D(out["wholesale_without_vat"]),
                D(out["wholesale_unknown"])) == (wholesale["Include"], wholesale["Exclude"], wholesale["No"], 0)
        # Include: VAT inside the amount; Exclude: VAT on top of it; No: none
        vat_wholesale = vat_in_gross(wholesale["Include"], RATE) + money(wholesale["Exclude"] * RATE)
        assert D(out["vat_wholesale"]) == vat_wholesale
        assert D(out["output"]) == vat_in_gross(retail["QQS 12%"], RATE) + vat_wholesale
        assert D(out["revenue_without_vat"]) == (sum(retail.values()) - vat_in_gross(retail["QQS 12%"], RATE)
                                                 + wholesale["Include"] - vat_in_gross(wholesale["Include"], RATE)
                                                 + wholesale["Exclude"] + wholesale["No"])
        assert figures["taxes"]["vat"]["sources"]["items_from_regos"] > 0
        keys = {w["key"] for w in figures["warnings"]}
        assert "tax-warn-wholesale-no-vat" in keys and "tax-warn-wholesale-vat-unknown" not in keys

        # the operator's class wins over REGOS: a zero-rated item marked standard moves into the VAT base
        sold = fake.generator.item_totals(DAYS[0])
        zero_item = next(i for i in fake.generator.items if i.vat[1] == "QQS 0%" and i.id in sold)
        moved = sum((t[zero_item.id].sale_amount - t[zero_item.id].return_amount
                     for t in (fake.generator.item_totals(day) for day in DAYS) if zero_item.id in t), D(0))
        await set_item_vat_class(session, company_id, zero_item.id, "standard")
        again = (await compute_month(session, company, JAN, TODAY))["taxes"]["vat"]["output"]
        assert D(again["retail_zero_rated"]) == retail["QQS 0%"] - moved
        assert D(again["retail_standard"]) == retail["QQS 12%"] + moved
        # a wholesale document synced before its type was kept counts as VAT included, with a warning
        first = await session.scalar(select(WholesaleDoc).where(WholesaleDoc.company_id == company_id,
                                                                WholesaleDoc.business_day == DAYS[0],
                                                                WholesaleDoc.kind == "sale",
                                                                WholesaleDoc.performed.is_(True),
                                                                WholesaleDoc.deleted.is_(False)).limit(1))
        assert first is not None
        original = first.vat_calculation_type
        first.vat_calculation_type = None
        await session.flush()
        older = await compute_month(session, company, JAN, TODAY)
        assert D(older["taxes"]["vat"]["output"]["wholesale_unknown"]) == first.amount
        assert {"key": "tax-warn-wholesale-vat-unknown", "amount": f"{first.amount:.2f}"} in older["warnings"]
        # as the migration leaves them: items without VAT and their `last_update` forgotten
        await session.execute(update(Item).where(Item.company_id == company_id)
                              .values(vat_rate=None, vat_class=None, last_update=0))
        await session.commit()

    await sync(session_factory, fake, company_id, DAYS[:1], tmp_path)  # the next sync reads every item again
    async with session_factory() as session:
        rows = (await session.execute(select(Item.vat_class).where(Item.company_id == company_id))).scalars().all()
        assert len(rows) == len(fake.generator.items) and None not in rows
        restored = await session.scalar(select(WholesaleDoc.vat_calculation_type).where(
            WholesaleDoc.id == first.id))
        assert restored == original  # a sync of its day reads the type again


async def test_the_demo_companys_regime_covers_its_history(session: AsyncSession) -> None:
    today = date(2026, 12, 2)
    start = tax_regime_start(today)
    assert start == date(2026, 10, 1)  # the fake REGOS's 42 days begin on 22 October
    seeded = await seed_demo_company(session, [], regime_from=start)
    company = await session.get_one(Company, seeded.company_id)
    for month in (date(2026, 11, 1), date(2026, 10, 1)):  # /tax's "last month" and "month before"
        figures = await compute_month(session, company, month, today)
        assert figures["regime"] == "turnover" and figures["period"] == f"{month:%Y-%m}"
    with pytest.raises(BeforeCompany):
        await compute_month(session, company, date(2026, 9, 1), today)
