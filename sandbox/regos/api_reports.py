"""Wholesale documents and REGOS's own aggregates (RetailReport/Counts, /Payments, /Operations) of the fake
gateway. Aggregates cover the receipts visible at the clock; a ``ReportSkew`` makes them disagree on purpose."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .generator import STATUS_CLOSED, ReceiptRec, RegosDataGenerator, effective_lines, effective_payments
from .protocol import (
    Handler,
    ReportSkew,
    bad_parameter,
    int_list,
    opt_bool,
    opt_int,
    paged,
    required,
)

if TYPE_CHECKING:
    from .server import FakeRegos

_CENT = Decimal("0.01")


class ReportsApi:
    def __init__(self, fake: FakeRegos) -> None:
        self.fake = fake
        self.skews: list[ReportSkew] = []

    @property
    def gen(self) -> RegosDataGenerator:
        return self.fake.generator

    def methods(self) -> dict[str, Handler]:
        return {
            "DocWholeSale/Get": self.wholesales,
            "DocWholeSaleReturn/Get": self.wholesale_returns,
            "WholeSaleOperation/Get": self.wholesale_lines,
            "WholeSaleReturnOperation/Get": self.wholesale_return_lines,
            "RetailReport/Counts": self.report_counts,
            "RetailReport/Payments": self.report_payments,
            "RetailReport/Operations": self.report_operations,
        }

    # -- wholesale ------------------------------------------------------------------------------------------------

    def wholesale_rows(self, body: Mapping[str, Any], *, returns: bool) -> list[dict[str, Any]]:
        start = opt_int(body.get("start_date"), "start_date")
        end = opt_int(body.get("end_date"), "end_date")
        ids = int_list(body.get("ids"), "ids")
        stock_ids = int_list(body.get("stock_ids"), "stock_ids")
        partner_ids = int_list(body.get("partner_ids"), "partner_ids")
        performed = opt_bool(body.get("performed"), "performed")
        deleted = opt_bool(body.get("deleted_mark"), "deleted_mark")
        horizon = self.gen.horizon()
        if ids is not None:
            docs = [
                d for i in ids if (d := self.gen.visible_wholesale(i, is_return=returns, as_of=horizon)) is not None
            ]
        else:
            docs = []
            for day in self.gen.days_overlapping(start, end):
                view = self.gen.view(day, horizon)
                docs.extend(view.wholesale_returns if returns else view.wholesales)
        return [
            self.fake.serializer.wholesale(d)
            for d in docs
            if (start is None or d.date >= start)
            and (end is None or d.date <= end)
            and (stock_ids is None or d.stock_id in stock_ids)
            and (partner_ids is None or d.partner_id in partner_ids)
            and (performed is None or d.performed == performed)
            and (deleted is None or d.deleted_mark == deleted)
        ]

    async def wholesales(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return paged(self.wholesale_rows(body, returns=False), body)

    async def wholesale_returns(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return paged(self.wholesale_rows(body, returns=True), body)

    def wholesale_line_rows(self, body: Mapping[str, Any], *, returns: bool) -> dict[str, Any]:
        document_ids = int_list(body.get("document_ids"), "document_ids")
        if document_ids is not None and len(document_ids) > 1:
            raise bad_parameter("document_ids (max 1)")
        if not document_ids:
            raise required("document_ids")
        doc = self.gen.visible_wholesale(document_ids[0], is_return=returns)
        rows = [self.fake.serializer.wholesale_line(line) for line in doc.lines] if doc else []
        return paged(rows, body)

    async def wholesale_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self.wholesale_line_rows(body, returns=False)

    async def wholesale_return_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self.wholesale_line_rows(body, returns=True)

    # -- retail reports -------------------------------------------------------------------------------------------

    def _window(self, body: Mapping[str, Any]) -> tuple[int | None, int | None, list[int] | None]:
        return (
            opt_int(body.get("start_date"), "start_date"),
            opt_int(body.get("end_date"), "end_date"),
            int_list(body.get("operating_cash_ids"), "operating_cash_ids"),
        )

    def report_receipts(self, body: Mapping[str, Any]) -> list[ReceiptRec]:
        start, end, till_ids = self._window(body)
        return [
            r
            for r in self.gen.iter_receipts(start, end)
            if r.status == STATUS_CLOSED and (till_ids is None or r.till_id in till_ids)
        ]

    def active_skews(self, body: Mapping[str, Any], *, payments: bool) -> list[ReportSkew]:
        """Skews that apply to this request (and count one use each)."""
        start, end, till_ids = self._window(body)
        chosen = []
        for skew in self.skews:
            touches_counts = bool(skew.sale_count or skew.return_count or skew.gross_profit)
            if not skew.active or not (skew.payment_type_id is not None if payments else touches_counts):
                continue
            first, last = self.gen.day_bounds(skew.day)
            if (start is not None and start > last) or (end is not None and end < first):
                continue
            if till_ids is not None and skew.till_id is not None and skew.till_id not in till_ids:
                continue
            skew.used()
            chosen.append(skew)
        return chosen

    async def report_counts(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        receipts = self.report_receipts(body)
        profit = Decimal("0.00")
        for r in receipts:
            cost = sum(
                (self.gen.items_by_id[line.item_id].cost * line.quantity for line in effective_lines(r.lines)),
                Decimal(0),
            )
            profit += -(r.amount - cost) if r.is_return else r.amount - cost
        sales = sum(1 for r in receipts if not r.is_return)
        returns = sum(1 for r in receipts if r.is_return)
        for skew in self.active_skews(body, payments=False):
            sales += skew.sale_count
            returns += skew.return_count
            profit += skew.gross_profit
        row = {
            "sale_count": sales,
            "return_count": returns,
            "debt_amount": Decimal("0.00"),
            "debt_paid_amount": Decimal("0.00"),
            "gross_profit": profit.quantize(_CENT),
        }
        return {"ok": True, "result": [row]}

    async def report_payments(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        sums: dict[int, list[Decimal]] = {}
        for receipt in self.report_receipts(body):
            for payment in effective_payments(receipt.payments):
                entry = sums.setdefault(payment.payment_type_id, [Decimal("0.00"), Decimal("0.00")])
                entry[1 if receipt.is_return else 0] += payment.value
        for skew in self.active_skews(body, payments=True):
            assert skew.payment_type_id is not None
            entry = sums.setdefault(skew.payment_type_id, [Decimal("0.00"), Decimal("0.00")])
            entry[0] += skew.sale_amount
            entry[1] += skew.return_amount
        rows = [
            {
                "payment_type_name": self.gen.payment_types_by_id[type_id].name,
                "sale_amount": sale,
                "return_amount": returned,
            }
            for type_id, (sale, returned) in sorted(sums.items())
        ]
        return {"ok": True, "result": rows}

    async def report_operations(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        search = str(body.get("search") or "").lower()
        sums: dict[int, list[Decimal]] = {}
        for receipt in self.report_receipts(body):
            for line in effective_lines(receipt.lines):
                entry = sums.setdefault(line.item_id, [Decimal(0), Decimal("0.00"), Decimal(0), Decimal("0.00")])
                base = 2 if receipt.is_return else 0
                entry[base] += line.quantity
                entry[base + 1] += line.amount
        rows = []
        for item_id, (sq, sa, rq, ra) in sorted(sums.items()):
            item = self.gen.items_by_id[item_id]
            if search and search not in item.name.lower() and search not in str(item.code):
                continue
            rows.append(
                {
                    "item": self.fake.serializer.item(item),
                    "sale_quantity": sq,
                    "sale_amount": sa,
                    "return_quantity": rq,
                    "return_amount": ra,
                }
            )
        return paged(rows, body)
