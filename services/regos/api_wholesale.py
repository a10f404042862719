"""Typed calls of the REGOS wholesale controllers: DocWholeSale, DocWholeSaleReturn and their operations (lines).
Count only ``counts_as_revenue`` documents (performed, not deleted)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypedDict

from typing_extensions import Unpack

from .core import RecordT, RegosCore, Timestamp, compact_body, optional_unix
from .models import DocWholeSale, DocWholeSaleReturn, WholeSaleOperation
from .paging import RecordStream


class WholesaleFilters(TypedDict, total=False):
    ids: Iterable[int] | None
    stock_ids: Iterable[int] | None
    performed: bool | None
    deleted_mark: bool | None
    page_size: int | None


class WholesaleCalls(RegosCore):
    def _documents(
        self,
        method: str,
        model: type[RecordT],
        start: Timestamp | None,
        end: Timestamp | None,
        filters: WholesaleFilters,
    ) -> RecordStream[RecordT]:
        body = compact_body(
            start_date=optional_unix(start),
            end_date=optional_unix(end),
            ids=filters.get("ids"),
            stock_ids=filters.get("stock_ids"),
            performed=filters.get("performed"),
            deleted_mark=filters.get("deleted_mark"),
        )
        return self.stream(method, body, model, page_size=filters.get("page_size"))

    def iter_wholesales(
        self, start: Timestamp | None = None, end: Timestamp | None = None, **filters: Unpack[WholesaleFilters]
    ) -> RecordStream[DocWholeSale]:
        """``DocWholeSale/Get``: documents dated in [start, end] (or by ``ids``)."""
        return self._documents("DocWholeSale/Get", DocWholeSale, start, end, filters)

    def iter_wholesale_returns(
        self, start: Timestamp | None = None, end: Timestamp | None = None, **filters: Unpack[WholesaleFilters]
    ) -> RecordStream[DocWholeSaleReturn]:
        """``DocWholeSaleReturn/Get``: returns dated in [start, end] (or by ``ids``)."""
        return self._documents("DocWholeSaleReturn/Get", DocWholeSaleReturn, start, end, filters)

    def _operations(self, method: str, document_id: int, page_size: int | None) -> RecordStream[WholeSaleOperation]:
        # REGOS accepts at most one id in ``document_ids``.
        return self.stream(method, {"document_ids": [document_id]}, WholeSaleOperation, page_size=page_size)

    def iter_wholesale_operations(
        self, document_id: int, *, page_size: int | None = None
    ) -> RecordStream[WholeSaleOperation]:
        """``WholeSaleOperation/Get``: the lines of one document."""
        return self._operations("WholeSaleOperation/Get", document_id, page_size)

    def iter_wholesale_return_operations(
        self, document_id: int, *, page_size: int | None = None
    ) -> RecordStream[WholeSaleOperation]:
        """``WholeSaleReturnOperation/Get``: the lines of one return."""
        return self._operations("WholeSaleReturnOperation/Get", document_id, page_size)
