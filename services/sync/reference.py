"""Reference data from REGOS into our tables: Stock → Branch, OperatingCash → Till, User → Employee,
PaymentType, Item and stock on hand. Every upsert is keyed by the REGOS id, so a rerun changes nothing."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.models import Branch, Employee
from db.regos_data import Item, PaymentType, StockLevel, Till
from services.regos import Item as RegosItem
from services.regos import ItemQuantity, OperatingCash, Stock, User, to_unix
from services.regos import PaymentType as RegosPaymentType
from services.tax.calc import item_vat_class

logger = logging.getLogger(__name__)

_BRANCH_NAME_LIMIT = 128
_NOISE_WORDS = frozenset({"filiali", "filial", "филиал", "branch", "do'koni", "dokoni", "магазин"})
_WORD = re.compile(r"[\w'/]+", re.UNICODE)


def _unix(value: object) -> int:
    return to_unix(value) if value is not None else 0  # type: ignore[arg-type]


def _name_words(name: str) -> list[str]:
    return [w for w in _WORD.findall(name.lower()) if w not in _NOISE_WORDS]


@dataclass(frozen=True)
class BranchSync:
    found: int
    created: int
    adopted: int  # branches the owner had already made, matched to a REGOS stock by name
    branch_by_stock: dict[int, int]


def _adoptable(stock_name: str, unmapped: Sequence[Branch]) -> Branch | None:
    """An unmapped branch whose name (minus words like "filiali") starts the stock's name, if exactly one does."""
    stock_words = _name_words(stock_name)
    if not stock_words:
        return None
    matches = [
        b for b in unmapped if (words := _name_words(b.name)) and stock_words[: len(words)] == words
    ]
    return matches[0] if len(matches) == 1 else None


async def sync_branches(session: AsyncSession, company_id: int, stocks: Iterable[Stock]) -> BranchSync:
    """One branch per REGOS stock. New stocks become branches named as in REGOS; an existing branch keeps the
    name its owner gave it; a branch the owner created before connecting is adopted when its name matches."""
    branches = list((await session.execute(select(Branch).where(Branch.company_id == company_id))).scalars())
    by_stock = {b.regos_stock_id: b for b in branches if b.regos_stock_id is not None}
    unmapped = [b for b in branches if b.regos_stock_id is None]
    created = adopted = found = 0
    for stock in stocks:
        found += 1
        if stock.id in by_stock:
            continue
        name = (stock.name or f"REGOS #{stock.id}").strip()[:_BRANCH_NAME_LIMIT]
        branch = _adoptable(name, unmapped)
        if branch is not None:
            unmapped.remove(branch)
            branch.regos_stock_id = stock.id
            adopted += 1
        else:
            branch = Branch(company_id=company_id, name=name, regos_stock_id=stock.id)
            session.add(branch)
            created += 1
        by_stock[stock.id] = branch
    await session.flush()
    return BranchSync(found, created, adopted, {stock_id: b.id for stock_id, b in by_stock.items() if stock_id})


async def branch_ids_by_stock(session: AsyncSession, company_id: int) -> dict[int, int]:
    rows = await session.execute(
        select(Branch.regos_stock_id, Branch.id).where(
            Branch.company_id == company_id, Branch.regos_stock_id.is_not(None)
        )
    )
    return {int(stock_id): branch_id for stock_id, branch_id in rows.all() if stock_id is not None}


async def sync_tills(
    session: AsyncSession, company_id: int, tills: Iterable[OperatingCash], branch_by_stock: dict[int, int]
) -> int:
    """Upsert tills; returns how many were new or changed."""
    existing = {
        t.regos_id: t for t in (await session.execute(select(Till).where(Till.company_id == company_id))).scalars()
    }
    changed = 0
    for cash in tills:
        stock_id = cash.stock_id
        values = {
            "branch_id": branch_by_stock.get(stock_id) if stock_id is not None else None,
            "regos_stock_id": stock_id,
            "name": (cash.description or cash.key or f"#{cash.id}")[:128],
            "last_update": _unix(cash.last_update),
        }
        till = existing.get(cash.id)
        if till is None:
            session.add(Till(company_id=company_id, regos_id=cash.id, **values))
            changed += 1
        elif any(getattr(till, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(till, key, value)
            changed += 1
    await session.flush()
    return changed


async def till_stocks(session: AsyncSession, company_id: int) -> dict[int, int | None]:
    rows = await session.execute(select(Till.regos_id, Till.regos_stock_id).where(Till.company_id == company_id))
    return {int(till_id): (int(stock) if stock is not None else None) for till_id, stock in rows.all()}


@dataclass(frozen=True)
class EmployeeSync:
    found: int
    created: int


async def sync_employees(session: AsyncSession, company_id: int, users: Iterable[User]) -> EmployeeSync:
    """An employee for every REGOS user not yet mapped to one. Existing employees keep what the owner set."""
    mapped = set(
        (
            await session.execute(
                select(Employee.regos_user_id).where(
                    Employee.company_id == company_id, Employee.regos_user_id.is_not(None)
                )
            )
        ).scalars()
    )
    found = created = 0
    for user in users:
        found += 1
        if user.id in mapped:
            continue
        session.add(
            Employee(
                company_id=company_id,
                full_name=user.display_name[:128],
                position=(user.user_group.name if user.user_group and user.user_group.name else None),
                phone=(user.main_phone or None),
                regos_user_id=user.id,
                active=user.active is not False,
            )
        )
        mapped.add(user.id)
        created += 1
    await session.flush()
    return EmployeeSync(found, created)


async def sync_payment_types(session: AsyncSession, company_id: int, types: Iterable[RegosPaymentType]) -> int:
    existing = {
        p.regos_id: p
        for p in (await session.execute(select(PaymentType).where(PaymentType.company_id == company_id))).scalars()
    }
    changed = 0
    for ptype in types:
        if ptype.id is None:
            continue
        name = (ptype.name or f"#{ptype.id}")[:128]
        is_cash = bool(ptype.is_cash)
        row = existing.get(ptype.id)
        if row is None:
            row = PaymentType(company_id=company_id, regos_id=ptype.id, name=name, is_cash=is_cash)
            session.add(row)
            existing[ptype.id] = row
            changed += 1
        elif (row.name, row.is_cash) != (name, is_cash):
            row.name, row.is_cash = name, is_cash
            changed += 1
    await session.flush()
    return changed


async def payment_type_names(session: AsyncSession, company_id: int) -> dict[int, str]:
    rows = await session.execute(
        select(PaymentType.regos_id, PaymentType.name).where(PaymentType.company_id == company_id)
    )
    return {int(regos_id): name for regos_id, name in rows.all()}


async def items_updated_since(session: AsyncSession, company_id: int) -> int | None:
    """The newest ``last_update`` we hold, so the next ``Item/Get`` asks only for what changed since."""
    newest = (
        await session.execute(select(func.max(Item.last_update)).where(Item.company_id == company_id))
    ).scalar_one_or_none()
    return int(newest) if newest else None


async def sync_items(session: AsyncSession, company_id: int, items: Sequence[RegosItem]) -> int:
    """Upsert items; returns how many were new or changed."""
    changed = 0
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        existing = {
            i.regos_id: i
            for i in (
                await session.execute(
                    select(Item).where(Item.company_id == company_id, Item.regos_id.in_([i.id for i in chunk]))
                )
            ).scalars()
        }
        for item in chunk:
            values = {
                "code": str(item.code) if item.code is not None else None,
                "name": (item.name or item.fullname or f"#{item.id}")[:256],
                "group_name": (item.group.name[:128] if item.group and item.group.name else None),
                "unit": (item.unit.name[:32] if item.unit and item.unit.name else None),
                "min_quantity": item.min_quantity,
                "deleted": bool(item.deleted_mark),
                "last_update": _unix(item.last_update),
                "vat_rate": item.vat.value if item.vat is not None else None,
                "vat_class": item_vat_class(item.vat.value, item.vat.name) if item.vat is not None else None,
            }
            row = existing.get(item.id)
            if row is None:
                row = Item(company_id=company_id, regos_id=item.id, **values)
                session.add(row)
                existing[item.id] = row
                changed += 1
            elif any(getattr(row, key) != values[key] for key in ("last_update", "name", "vat_rate", "vat_class")):
                for key, value in values.items():
                    setattr(row, key, value)
                changed += 1
        await session.flush()
    return changed


async def active_item_ids(session: AsyncSession, company_id: int) -> list[int]:
    """The items whose stock on hand is read: all of them, delete-marked ones too (REGOS keeps their stock until
    it is sold or written off, and stock of 118 × a delete-marked item is still stock)."""
    rows = await session.execute(
        select(Item.regos_id).where(Item.company_id == company_id).order_by(Item.regos_id)
    )
    return [int(r) for r in rows.scalars()]


async def sync_stock_levels(session: AsyncSession, company_id: int, quantities: Sequence[ItemQuantity]) -> int:
    """Upsert stock on hand per (item, stock); returns how many rows were new or changed."""
    existing = {
        (s.item_regos_id, s.regos_stock_id): s
        for s in (await session.execute(select(StockLevel).where(StockLevel.company_id == company_id))).scalars()
    }
    changed = 0
    now = utcnow()
    for row in quantities:
        quantity = row.quantity.quantize(Decimal("0.001"))
        level = existing.get((row.item_id, row.stock_id))
        if level is None:
            level = StockLevel(
                company_id=company_id, item_regos_id=row.item_id, regos_stock_id=row.stock_id, quantity=quantity,
                updated_at=now,
            )
            session.add(level)
            existing[(row.item_id, row.stock_id)] = level
            changed += 1
        elif level.quantity != quantity:
            level.quantity = quantity
            level.updated_at = now
            changed += 1
    await session.flush()
    return changed
