"""Typed calls of the REGOS reference controllers: CurrentTimeStamp, Firm, Stock (branches), OperatingCash (tills),
User (employees), PaymentType, Item (with prices and stock on hand)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from .core import RegosCore, Timestamp, chunks, compact_body, parse_page
from .errors import RegosBadRequestError, RegosMalformedResponseError
from .masking import logger
from .models import (
    Firm,
    Item,
    ItemExt,
    ItemQuantity,
    OperatingCash,
    PaymentType,
    RecordBatch,
    Stock,
    User,
)
from .paging import Page, RecordStream
from .parsing import optional_int, to_unix

CURRENT_QUANTITY_MAX_IDS = 250  # documented maximum of Item/GetCurrentQuantity item_ids


class ReferenceCalls(RegosCore):
    async def get_current_timestamp(self) -> datetime:
        """``CurrentTimeStamp/Get``: the server's time; the cheapest call, so also the key check."""
        response = await self.call("CurrentTimeStamp/Get", {})
        seconds = optional_int(response.result)
        if seconds is None:
            raise RegosMalformedResponseError(None, "CurrentTimeStamp result is not a number", "CurrentTimeStamp/Get")
        return datetime.fromtimestamp(seconds, tz=UTC)

    def iter_firms(self, *, ids: Iterable[int] | None = None, page_size: int | None = None) -> RecordStream[Firm]:
        return self.stream("Firm/Get", compact_body(ids=ids), Firm, page_size=page_size)

    def iter_stocks(
        self,
        *,
        ids: Iterable[int] | None = None,
        firm_ids: Iterable[int] | None = None,
        deleted_mark: bool | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[Stock]:
        """``Stock/Get``: branches / storage places."""
        body = compact_body(ids=ids, firm_ids=firm_ids, deleted_mark=deleted_mark, search=search)
        return self.stream("Stock/Get", body, Stock, page_size=page_size)

    def iter_operating_cashes(
        self,
        *,
        ids: Iterable[int] | None = None,
        stock_ids: Iterable[int] | None = None,
        firm_ids: Iterable[int] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[OperatingCash]:
        """``OperatingCash/Get``: tills, each with its stock."""
        body = compact_body(ids=ids, stock_ids=stock_ids, firm_ids=firm_ids)
        return self.stream("OperatingCash/Get", body, OperatingCash, page_size=page_size)

    def iter_users(
        self,
        *,
        ids: Iterable[int] | None = None,
        active: bool | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[User]:
        """``User/Get``: employees (cashiers, sellers)."""
        return self.stream("User/Get", compact_body(ids=ids, active=active, search=search), User, page_size=page_size)

    def iter_payment_types(self, *, page_size: int | None = None) -> RecordStream[PaymentType]:
        return self.stream("PaymentType/Get", {}, PaymentType, page_size=page_size)

    def iter_items(
        self,
        *,
        updated_since: Timestamp | None = None,
        ids: Iterable[int] | None = None,
        deleted_mark: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[Item]:
        """``Item/Get``, optionally only items with ``last_update >= updated_since``.

        REGOS filters by a generic ``filters`` array whose field names are not published; we send
        ``last_update GreaterOrEqual`` sorted by ``LastUpdate``, fall back to an unfiltered read if REGOS rejects
        that, and always filter on our side too.
        """
        base = compact_body(ids=ids, deleted_mark=deleted_mark)
        since = to_unix(updated_since) if updated_since is not None else None
        limit = page_size or self.page_size
        use_filter = since is not None

        async def fetch(offset: int) -> Page[Item]:
            nonlocal use_filter
            body = dict(base)
            if use_filter:
                body["filters"] = [{"Field": "last_update", "Operator": "GreaterOrEqual", "Value": str(since)}]
                body["sort_orders"] = [{"column": "LastUpdate", "direction": "ASC"}]
            try:
                response = await self.call("Item/Get", {**body, "limit": limit, "offset": offset})
            except RegosBadRequestError:
                if not use_filter or offset != 0:
                    raise
                logger.warning("REGOS Item/Get rejected the last_update filter; filtering on our side")
                use_filter = False
                response = await self.call("Item/Get", {**base, "limit": limit, "offset": offset})
            page = parse_page(Item, response, offset)
            if since is not None:
                page.items = [i for i in page.items if i.last_update is None or to_unix(i.last_update) >= since]
            return page

        return RecordStream(fetch, method="Item/Get", max_pages=self.max_pages)

    def iter_items_ext(
        self,
        *,
        stock_id: int,
        price_type_id: int | None = None,
        ids: Iterable[int] | None = None,
        zero_quantity: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[ItemExt]:
        """``Item/GetExt``: items with price and quantity for one stock."""
        body = compact_body(stock_id=stock_id, price_type_id=price_type_id, ids=ids, zero_quantity=zero_quantity)
        return self.stream("Item/GetExt", body, ItemExt, page_size=page_size)

    async def get_current_quantities(
        self, item_ids: Iterable[int], *, stock_ids: Iterable[int] | None = None
    ) -> RecordBatch[ItemQuantity]:
        """``Item/GetCurrentQuantity`` for any number of items, in calls of at most 250 ids."""
        unique_ids = list(dict.fromkeys(int(i) for i in item_ids))
        stocks = list(stock_ids) if stock_ids is not None else None
        batch: RecordBatch[ItemQuantity] = RecordBatch()
        for chunk in chunks(unique_ids, CURRENT_QUANTITY_MAX_IDS):
            part = await self.fetch_all(
                "Item/GetCurrentQuantity", compact_body(item_ids=chunk, stock_ids=stocks), ItemQuantity
            )
            batch.extend(part)
        return batch
