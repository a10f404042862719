"""Typed calls of the REGOS retail controllers: DocCheque (receipts), ChequeItemOperation / ChequePaymentOperation
(their lines and payments), DocCashSession (shifts) and RetailReport (REGOS's own day figures).

Dates are Unix seconds or aware datetimes; a listing by ``uuids`` may leave the window out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .core import RecordT, RegosCore, Timestamp, compact_body, optional_unix
from .enums import DocChequeStatus, parse_enum
from .models import (
    ChequeItemOperation,
    ChequePaymentOperation,
    DocCashSession,
    DocCheque,
    DocChequeShort,
    RecordBatch,
    RetailReportCounts,
    RetailReportOperation,
    RetailReportPayment,
)
from .paging import RecordStream

OLDEST_FIRST = [{"column": "Date", "direction": "ASC"}]


def _status(value: DocChequeStatus | str | int | None) -> str | None:
    return parse_enum(DocChequeStatus, value).value if value is not None else None


def _window(start: Timestamp | None, end: Timestamp | None, **filters: Any) -> dict[str, Any]:
    return compact_body(start_date=optional_unix(start), end_date=optional_unix(end), **filters)


class RetailCalls(RegosCore):
    def iter_doc_cheques(
        self,
        start: Timestamp | None = None,
        end: Timestamp | None = None,
        *,
        status: DocChequeStatus | str | int | None = None,
        is_return: bool | None = None,
        session_uuid: str | None = None,
        uuids: Iterable[str] | None = None,
        cashier_ids: Iterable[int] | None = None,
        seller_ids: Iterable[int] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocCheque]:
        """``DocCheque/Get``: receipts dated in [start, end], oldest first."""
        body = _window(
            start,
            end,
            status=_status(status),
            is_return=is_return,
            session_uuid=session_uuid,
            uuids=uuids,
            cashier_ids=cashier_ids,
            seller_ids=seller_ids,
            sort_orders=OLDEST_FIRST,
        )
        return self.stream("DocCheque/Get", body, DocCheque, page_size=page_size)

    def iter_doc_cheques_short(
        self,
        start: Timestamp | None = None,
        end: Timestamp | None = None,
        *,
        stock_ids: Iterable[int] | None = None,
        operating_cash_ids: Iterable[int] | None = None,
        session_uuids: Iterable[str] | None = None,
        is_return: bool | None = None,
        sale_status: DocChequeStatus | str | int | None = None,
        uuids: Iterable[str] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocChequeShort]:
        """``DocCheque/GetShort``: receipts with till and stock resolved (the simplest per-branch sales feed)."""
        body = _window(
            start,
            end,
            stock_ids=stock_ids,
            operating_cash_ids=operating_cash_ids,
            session_uuids=session_uuids,
            is_return=is_return,
            sale_status=_status(sale_status),
            uuids=uuids,
            sort_orders=OLDEST_FIRST,
        )
        return self.stream("DocCheque/GetShort", body, DocChequeShort, page_size=page_size)

    async def _receipt_details(
        self, method: str, model: type[RecordT], doc_sale_uuid: str | None, uuids: Iterable[str] | None
    ) -> RecordBatch[RecordT]:
        if doc_sale_uuid is None and uuids is None:
            raise ValueError("give doc_sale_uuid or uuids")
        return await self.fetch_all(method, compact_body(doc_sale_uuid=doc_sale_uuid, uuids=uuids), model)

    async def get_cheque_items(
        self, doc_sale_uuid: str | None = None, *, uuids: Iterable[str] | None = None
    ) -> RecordBatch[ChequeItemOperation]:
        """``ChequeItemOperation/Get``: lines of one receipt (or lines by their own uuids). Not paged."""
        return await self._receipt_details("ChequeItemOperation/Get", ChequeItemOperation, doc_sale_uuid, uuids)

    async def get_cheque_payments(
        self, doc_sale_uuid: str | None = None, *, uuids: Iterable[str] | None = None
    ) -> RecordBatch[ChequePaymentOperation]:
        """``ChequePaymentOperation/Get``: payments of one receipt. Not paged."""
        return await self._receipt_details("ChequePaymentOperation/Get", ChequePaymentOperation, doc_sale_uuid, uuids)

    def iter_cash_sessions(
        self,
        start: Timestamp | None = None,
        end: Timestamp | None = None,
        *,
        operating_cash_ids: Iterable[int] | None = None,
        uuids: Iterable[str] | None = None,
        is_close: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocCashSession]:
        """``DocCashSession/Get``: shifts in [start, end] (or by uuids)."""
        body = _window(start, end, operating_cash_ids=operating_cash_ids, uuids=uuids, is_close=is_close)
        return self.stream("DocCashSession/Get", body, DocCashSession, page_size=page_size)

    async def get_retail_report_counts(
        self, start: Timestamp, end: Timestamp, *, operating_cash_ids: Iterable[int] | None = None
    ) -> RecordBatch[RetailReportCounts]:
        body = _window(start, end, operating_cash_ids=operating_cash_ids)
        return await self.fetch_all("RetailReport/Counts", body, RetailReportCounts)

    async def get_retail_report_payments(
        self, start: Timestamp, end: Timestamp, *, operating_cash_ids: Iterable[int] | None = None
    ) -> RecordBatch[RetailReportPayment]:
        body = _window(start, end, operating_cash_ids=operating_cash_ids)
        return await self.fetch_all("RetailReport/Payments", body, RetailReportPayment)

    def iter_retail_report_operations(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        operating_cash_ids: Iterable[int] | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[RetailReportOperation]:
        body = _window(start, end, operating_cash_ids=operating_cash_ids, search=search)
        return self.stream("RetailReport/Operations", body, RetailReportOperation, page_size=page_size)
