"""The dated rates payroll reads (table ``rates``, the latest row not after a day applies): PIT with its INPS part,
social tax and its 1% reliefs, MROT and BRV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Rate
from services.payroll.errors import PayrollError

REQUIRED = ("pit", "inps", "social_tax", "mrot")
OPTIONAL = ("brv", "social_tax_relief", "relief_youth_max_age", "relief_youth_min_mrot", "relief_low_income_min_mrot")


class RateMissing(PayrollError):
    key = "error-payroll-rate-missing"
    message = "no {codes} rate in force on {day}: add it to the rates table"


@dataclass(frozen=True, slots=True)
class PayrollRates:
    """Rates as fractions (0.12 is 12%); amounts in so'm. A relief is off when its rows are missing on the day."""

    on: date
    pit: Decimal
    inps: Decimal
    social_tax: Decimal
    mrot: Decimal
    brv: Decimal | None = None
    social_tax_relief: Decimal | None = None
    relief_youth_max_age: Decimal | None = None
    relief_youth_min_mrot: Decimal | None = None
    relief_low_income_min_mrot: Decimal | None = None

    def to_json(self) -> dict[str, Any]:
        values = {name: getattr(self, name) for name in (*REQUIRED, *OPTIONAL)}
        return {"on": self.on.isoformat(), **{k: (f"{v.normalize():f}" if v is not None else None)
                                             for k, v in values.items()}}


async def rate_on(session: AsyncSession, code: str, day: date) -> Decimal | None:
    value = await session.scalar(
        select(Rate.value).where(Rate.code == code, Rate.effective_from <= day)
        .order_by(Rate.effective_from.desc()).limit(1)
    )
    return Decimal(value) if value is not None else None


async def payroll_rates(session: AsyncSession, day: date) -> PayrollRates:
    """The rates in force on ``day``; refuses when a required one has no row on or before it."""
    rows = await session.execute(
        select(Rate.code, Rate.value, Rate.effective_from)
        .where(Rate.code.in_((*REQUIRED, *OPTIONAL)), Rate.effective_from <= day)
    )
    latest: dict[str, tuple[date, Decimal]] = {}
    for code, value, effective_from in rows.all():
        if code not in latest or latest[code][0] < effective_from:
            latest[code] = (effective_from, Decimal(value))
    missing = [code for code in REQUIRED if code not in latest]
    if missing:
        raise RateMissing(codes=", ".join(missing), day=day.isoformat())
    values = {code: latest[code][1] for code in latest}
    return PayrollRates(on=day, **values)
