"""REGOS's own aggregates of a business day, the source of every per-item and per-payment-type figure (issue 9).

Per day the plan costs a few calls per *branch*, never per receipt: ``RetailReport/Operations`` (per item),
``/Payments`` (per payment type) and ``/Counts``, each filtered by the branch's tills (``operating_cash_ids``) over
the day window ``[00:00, 24:00)`` local, sent as inclusive Unix seconds ``[start, end]`` (``day_bounds``).

Which till belonged to which branch that day comes from the day's receipt headers (already resolved to a branch):
a till whose receipts all fall in one branch joins that branch's group; a till that changed branch during the
day (moved mid-period) gets its own stretches, split at its first receipt in the new branch, so no figure lands in
the wrong branch. Tills with no receipts that day join their current branch, so REGOS counting a receipt we never
listed still shows up as a mismatch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.regos_data import DayItemSales, DayPaymentSales, DayReportCounts, PaymentType, Receipt, Till
from services.regos import (
    DocChequeStatus,
    RegosClient,
    RetailReportCounts,
    RetailReportOperation,
    RetailReportPayment,
    to_unix,
)

from .archive import DayArchive

ZERO = Decimal("0.00")
CLOSED = DocChequeStatus.Closed.value
CALLS_PER_GROUP = 3  # Operations (one page for up to 1,000 items), Payments, Counts


@dataclass(frozen=True)
class ReportGroup:
    """One set of tills of one branch over one window of the day; ``part`` 0 is the branch's whole day."""

    branch_id: int | None
    part: int
    till_ids: tuple[int, ...]
    start: int
    end: int


@dataclass
class GroupReport:
    group: ReportGroup
    operations: list[RetailReportOperation] = field(default_factory=list)
    payments: list[RetailReportPayment] = field(default_factory=list)
    counts: list[RetailReportCounts] = field(default_factory=list)
    skipped: int = 0
    calls: int = 0

    @property
    def sale_count(self) -> int:
        return sum((c.sale_count for c in self.counts), 0)

    @property
    def return_count(self) -> int:
        return sum((c.return_count for c in self.counts), 0)

    @property
    def sale_amount(self) -> Decimal:
        return sum((p.sale_amount for p in self.payments), ZERO)

    @property
    def return_amount(self) -> Decimal:
        return sum((p.return_amount for p in self.payments), ZERO)


@dataclass(frozen=True)
class HeaderMark:
    till_id: int
    branch_id: int | None
    at: int  # Unix seconds
    closed: bool
    is_return: bool
    amount: Decimal


def plan_groups(
    marks: Iterable[HeaderMark], till_branches: dict[int, int | None], start: int, end: int
) -> list[ReportGroup]:
    """The day's report groups (see the module docstring)."""
    by_till: dict[int, list[HeaderMark]] = defaultdict(list)
    for mark in marks:
        by_till[mark.till_id].append(mark)
    whole_day: dict[int | None, set[int]] = defaultdict(set)
    stretches: list[tuple[int | None, int, int, int]] = []
    for till_id, branch_id in till_branches.items():
        if till_id not in by_till:
            whole_day[branch_id].add(till_id)
    for till_id, till_marks in by_till.items():
        till_marks.sort(key=lambda m: m.at)
        segments: list[tuple[int | None, int]] = []  # (branch, first receipt second)
        for mark in till_marks:
            if not segments or segments[-1][0] != mark.branch_id:
                segments.append((mark.branch_id, mark.at))
        if len(segments) == 1:
            whole_day[segments[0][0]].add(till_id)
            continue
        for index, (branch_id, first_at) in enumerate(segments):
            window_start = start if index == 0 else first_at
            window_end = segments[index + 1][1] - 1 if index + 1 < len(segments) else end
            stretches.append((branch_id, till_id, window_start, window_end))
    groups = [
        ReportGroup(branch_id, 0, tuple(sorted(tills)), start, end)
        for branch_id, tills in sorted(whole_day.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
        if tills
    ]
    for part, (branch_id, till_id, window_start, window_end) in enumerate(stretches, start=1):
        groups.append(ReportGroup(branch_id, part, (till_id,), window_start, window_end))
    return groups


async def day_header_marks(session: AsyncSession, company_id: int, day: date) -> list[HeaderMark]:
    rows = await session.execute(
        select(
            Receipt.regos_till_id, Receipt.branch_id, Receipt.occurred_at, Receipt.status, Receipt.is_return,
            Receipt.amount,
        ).where(Receipt.company_id == company_id, Receipt.business_day == day, Receipt.regos_till_id.is_not(None))
    )
    return [
        HeaderMark(int(till or 0), branch, to_unix(at), status == CLOSED, bool(is_return), Decimal(amount))
        for till, branch, at, status, is_return, amount in rows.all()
    ]


async def current_till_branches(session: AsyncSession, company_id: int) -> dict[int, int | None]:
    rows = await session.execute(select(Till.regos_id, Till.branch_id).where(Till.company_id == company_id))
    return {int(till): branch for till, branch in rows.all()}


async def fetch_group(
    client: RegosClient, group: ReportGroup, *, page_size: int = 1000, archive: DayArchive | None = None
) -> GroupReport:
    """The group's three aggregates (raw answers kept in the day's archive when given)."""
    report = GroupReport(group)
    tills = list(group.till_ids)
    listing = client.iter_retail_report_operations(
        group.start, group.end, operating_cash_ids=tills, page_size=page_size
    )
    if archive is not None:
        listing = listing.with_options(on_page=archive.add_page)
    operations = await listing.collect()
    report.operations, report.skipped = operations.items, operations.skipped
    payments = await client.get_retail_report_payments(group.start, group.end, operating_cash_ids=tills)
    counts = await client.get_retail_report_counts(group.start, group.end, operating_cash_ids=tills)
    if archive is not None:
        archive.add_response(payments.response)
        archive.add_response(counts.response)
    report.payments, report.counts = payments.items, counts.items
    report.skipped += payments.skipped + counts.skipped
    report.calls = listing.pages_fetched + 2
    return report


async def store_day_reports(
    session: AsyncSession, company_id: int, day: date, reports: Sequence[GroupReport]
) -> None:
    """Replace the day's aggregate rows (inside the caller's write transaction)."""
    for table in (DayItemSales, DayPaymentSales, DayReportCounts):
        await session.execute(delete(table).where(table.company_id == company_id, table.business_day == day))
    type_ids = {
        name: int(regos_id)
        for regos_id, name in (
            await session.execute(
                select(PaymentType.regos_id, PaymentType.name).where(PaymentType.company_id == company_id)
            )
        ).all()
    }
    items: list[dict[str, object]] = []
    payments: list[dict[str, object]] = []
    counts: list[dict[str, object]] = []
    now = utcnow()
    for report in reports:
        base = {"company_id": company_id, "business_day": day, "branch_id": report.group.branch_id,
                "part": report.group.part}
        merged: dict[int | None, list[Decimal]] = defaultdict(lambda: [Decimal(0), ZERO, Decimal(0), ZERO])
        for op in report.operations:
            row = merged[op.item.id if op.item is not None else None]
            row[0] += op.sale_quantity
            row[1] += op.sale_amount
            row[2] += op.return_quantity
            row[3] += op.return_amount
        items.extend(
            {**base, "item_regos_id": item_id, "sold_quantity": v[0], "sold_amount": v[1],
             "returned_quantity": v[2], "returned_amount": v[3]}
            for item_id, v in merged.items()
        )
        paid: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for payment in report.payments:
            paid[payment.payment_type_name or ""][0] += payment.sale_amount
            paid[payment.payment_type_name or ""][1] += payment.return_amount
        payments.extend(
            {**base, "payment_type_regos_id": type_ids.get(name), "payment_type_name": name[:128],
             "sale_amount": v[0], "return_amount": v[1]}
            for name, v in paid.items()
        )
        profits = [c.gross_profit for c in report.counts if c.gross_profit is not None]
        counts.append(
            {**base, "till_ids": list(report.group.till_ids), "window_start": report.group.start,
             "window_end": report.group.end, "sale_count": report.sale_count, "return_count": report.return_count,
             "gross_profit": sum(profits, ZERO) if profits else None, "fetched_at": now}
        )
    for table, rows in ((DayItemSales, items), (DayPaymentSales, payments), (DayReportCounts, counts)):
        if rows:
            await session.execute(insert(table), rows)


def group_differences(reports: Sequence[GroupReport], marks: Sequence[HeaderMark]) -> list[str]:
    """Our header sums per group (tills × window) against REGOS's Counts and Payments of the same group."""
    differences: list[str] = []
    for report in reports:
        group = report.group
        tills = set(group.till_ids)
        sales = returns = 0
        gross = refunds = ZERO
        for mark in marks:
            if not mark.closed or mark.till_id not in tills or not group.start <= mark.at <= group.end:
                continue
            if mark.is_return:
                returns += 1
                refunds += mark.amount
            else:
                sales += 1
                gross += mark.amount
        label = f"branch {group.branch_id} tills {list(group.till_ids)}" + (f" part {group.part}" if group.part else "")
        if (sales, returns) != (report.sale_count, report.return_count):
            differences.append(f"{label}: receipts ours {sales}/{returns}, REGOS {report.sale_count}/"
                               f"{report.return_count}")
        if (gross, refunds) != (report.sale_amount, report.return_amount):
            differences.append(f"{label}: amounts ours {gross:f}/{refunds:f}, REGOS {report.sale_amount:f}/"
                               f"{report.return_amount:f}")
    return differences


async def days_with_reports(session: AsyncSession, company_id: int, first: date, last: date) -> set[date]:
    """Days whose figures come from REGOS's aggregates (the others, synced before, from receipt lines)."""
    rows = await session.execute(
        select(DayReportCounts.business_day).distinct().where(
            DayReportCounts.company_id == company_id,
            DayReportCounts.business_day >= first,
            DayReportCounts.business_day <= last,
        )
    )
    return {row for (row,) in rows.all()}
