"""Retail methods of the fake gateway: receipt headers (DocCheque/Get, /GetShort), their lines and payments, and
the shifts. Every answer shows only what exists at the fake's clock (see ``RegosDataGenerator.view``)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from .generator import ReceiptRec, RegosDataGenerator
from .protocol import (
    Handler,
    descending,
    int_list,
    limit_offset,
    opt_bool,
    opt_int,
    page,
    paged,
    required,
    status_name,
    str_list,
)

if TYPE_CHECKING:
    from .server import FakeRegos

_COUNT_CACHE_MAX = 200_000


class RetailApi:
    def __init__(self, fake: FakeRegos) -> None:
        self.fake = fake
        self.count_cache: dict[tuple[Any, ...], int] = {}

    @property
    def gen(self) -> RegosDataGenerator:
        return self.fake.generator

    def methods(self) -> dict[str, Handler]:
        return {
            "DocCheque/Get": self.doc_cheques,
            "DocCheque/GetShort": self.doc_cheques_short,
            "ChequeItemOperation/Get": self.cheque_lines,
            "ChequePaymentOperation/Get": self.cheque_payments,
            "DocCashSession/Get": self.cash_sessions,
        }

    def paged_receipts(
        self,
        body: Mapping[str, Any],
        predicate: Callable[[ReceiptRec], bool],
        filter_key: str,
        serialize: Callable[[ReceiptRec], dict[str, Any]],
    ) -> dict[str, Any]:
        """Receipts in the window, paged without materialising every day: per-day counts are cached (for a
        day still filling up, per second of the clock)."""
        gen = self.gen
        horizon = gen.horizon()
        limit, offset = limit_offset(body)
        start = opt_int(body.get("start_date"), "start_date")
        end = opt_int(body.get("end_date"), "end_date")
        reverse = descending(body)
        uuids = str_list(body.get("uuids"), "uuids")
        if uuids is not None:
            found = [r for u in dict.fromkeys(uuids) if (r := gen.visible_receipt(u, horizon)) is not None]
            rows = [
                r
                for r in found
                if predicate(r) and (start is None or r.date >= start) and (end is None or r.date <= end)
            ]
            rows.sort(key=lambda r: (r.date, r.uuid), reverse=reverse)
            chunk, next_offset, total = page(rows, limit, offset)
            return {"ok": True, "result": [serialize(r) for r in chunk], "next_offset": next_offset, "total": total}

        days = gen.days_overlapping(start, end)
        if reverse:
            days.reverse()

        def matches(receipt: ReceiptRec) -> bool:
            return (
                (start is None or receipt.date >= start) and (end is None or receipt.date <= end) and predicate(receipt)
            )

        counts = []
        for day in days:
            first, last = gen.day_bounds(day)
            clip = (
                start if start is not None and start > first else None,
                end if end is not None and end < last else None,
            )
            moment = None if gen.settled(day, horizon) else horizon
            cache_key = (gen.version, filter_key, day, clip, moment)
            count = self.count_cache.get(cache_key)
            if count is None:
                count = sum(1 for r in gen.view(day, horizon).receipts if matches(r))
                if len(self.count_cache) > _COUNT_CACHE_MAX:
                    self.count_cache.clear()
                self.count_cache[cache_key] = count
            counts.append(count)
        total = sum(counts)
        result: list[dict[str, Any]] = []
        skip = offset
        for day, count in zip(days, counts, strict=True):
            if len(result) >= limit:
                break
            if skip >= count:
                skip -= count
                continue
            day_rows = [r for r in gen.view(day, horizon).receipts if matches(r)]
            if reverse:
                day_rows.reverse()
            for receipt in day_rows[skip : skip + (limit - len(result))]:
                result.append(serialize(receipt))
            skip = 0
        next_offset = offset + len(result) if offset + len(result) < total else 0
        return {"ok": True, "result": result, "next_offset": next_offset, "total": total}

    async def doc_cheques(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        status = status_name(body.get("status"))
        is_return = opt_bool(body.get("is_return"), "is_return")
        session_uuid = body.get("session_uuid")
        cashier_ids = int_list(body.get("cashier_ids"), "cashier_ids")
        seller_ids = int_list(body.get("seller_ids"), "seller_ids")
        code = body.get("code")

        def predicate(r: ReceiptRec) -> bool:
            return (
                (status is None or r.status == status)
                and (is_return is None or r.is_return == is_return)
                and (session_uuid is None or r.session_uuid == session_uuid)
                and (cashier_ids is None or r.cashier_id in cashier_ids)
                and (seller_ids is None or r.seller_id in seller_ids)
                and (code is None or r.code == str(code))
            )

        filter_key = json.dumps(
            ["DocCheque", status, is_return, session_uuid, cashier_ids, seller_ids, code], default=str
        )
        return self.paged_receipts(body, predicate, filter_key, self.fake.serializer.doc_cheque)

    async def doc_cheques_short(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        """``stock_id`` and ``stock_ids`` are the till's branch at the receipt's time (see README)."""
        status = status_name(body.get("sale_status"))
        is_return = opt_bool(body.get("is_return"), "is_return")
        stock_ids = int_list(body.get("stock_ids"), "stock_ids")
        till_ids = int_list(body.get("operating_cash_ids"), "operating_cash_ids")
        session_uuids = str_list(body.get("session_uuids"), "session_uuids")
        firm_ids = int_list(body.get("firm_ids"), "firm_ids")

        def predicate(r: ReceiptRec) -> bool:
            return (
                (status is None or r.status == status)
                and (is_return is None or r.is_return == is_return)
                and (stock_ids is None or r.stock_id in stock_ids)
                and (till_ids is None or r.till_id in till_ids)
                and (session_uuids is None or r.session_uuid in session_uuids)
                and (firm_ids is None or self.gen.firm_id in firm_ids)
            )

        filter_key = json.dumps(["Short", status, is_return, stock_ids, till_ids, session_uuids, firm_ids], default=str)
        return self.paged_receipts(body, predicate, filter_key, self.fake.serializer.doc_cheque_short)

    async def cheque_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        doc_uuid = body.get("doc_sale_uuid")
        uuids = str_list(body.get("uuids"), "uuids")
        if doc_uuid is None and uuids is None:
            raise required("doc_sale_uuid")
        horizon = self.gen.horizon()
        lines = []
        if doc_uuid is not None:
            receipt = self.gen.visible_receipt(str(doc_uuid), horizon)
            lines = list(receipt.lines) if receipt else []
        if uuids is not None:
            by_uuid = [
                line
                for u in uuids
                if (line := self.gen.line(u)) is not None
                and self.gen.visible_receipt(line.receipt_uuid, horizon) is not None
            ]
            lines = [line for line in lines if line.uuid in uuids] if doc_uuid is not None else by_uuid
        return {"ok": True, "result": [self.fake.serializer.cheque_line(line) for line in lines]}

    async def cheque_payments(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        doc_uuid = body.get("doc_sale_uuid")
        uuids = str_list(body.get("uuids"), "uuids")
        if doc_uuid is None and uuids is None:
            raise required("doc_sale_uuid")
        horizon = self.gen.horizon()
        payments = []
        if doc_uuid is not None:
            receipt = self.gen.visible_receipt(str(doc_uuid), horizon)
            payments = list(receipt.payments) if receipt else []
        if uuids is not None:
            by_uuid = []
            for u in uuids:
                payment = self.gen.payment(u)
                owner = self.gen.visible_receipt(payment.receipt_uuid, horizon) if payment else None
                if payment is not None and owner is not None and owner.payments:
                    by_uuid.append(payment)
            payments = [p for p in payments if p.uuid in uuids] if doc_uuid is not None else by_uuid
        return {"ok": True, "result": [self.fake.serializer.cheque_payment(p) for p in payments]}

    async def cash_sessions(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        """Shifts opened by now; one still running is ``closed: false`` with no close fields."""
        start = opt_int(body.get("start_date"), "start_date")
        end = opt_int(body.get("end_date"), "end_date")
        till_ids = int_list(body.get("operating_cash_ids"), "operating_cash_ids")
        uuids = str_list(body.get("uuids"), "uuids")
        is_close = opt_bool(body.get("is_close"), "is_close")
        horizon = self.gen.horizon()
        rows = []
        for day in self.gen.days_overlapping(start, end):
            for session in self.gen.view(day, horizon).sessions:
                if (
                    (start is None or session.start_date >= start)
                    and (end is None or session.start_date <= end)
                    and (till_ids is None or session.till_id in till_ids)
                    and (uuids is None or session.uuid in uuids)
                    and (is_close is None or session.closed == is_close)
                ):
                    rows.append(self.fake.serializer.cash_session(session))
        return paged(rows, body)
