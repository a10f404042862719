"""Reference methods of the fake gateway: time, firm, branches, tills, people, payment types, partners, items
and stock levels."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .generator import RegosDataGenerator
from .protocol import (
    COMPARATORS,
    CURRENT_QUANTITY_MAX_IDS,
    ERR_BAD_PARAMETERS,
    Handler,
    RegosApiError,
    bad_parameter,
    int_list,
    opt_bool,
    opt_int,
    paged,
    required,
)
from .records import ItemRec

if TYPE_CHECKING:
    from .server import FakeRegos


class ReferenceApi:
    def __init__(self, fake: FakeRegos) -> None:
        self.fake = fake

    @property
    def gen(self) -> RegosDataGenerator:
        return self.fake.generator

    def methods(self) -> dict[str, Handler]:
        return {
            "CurrentTimeStamp/Get": self.current_timestamp,
            "Firm/Get": self.firms,
            "Stock/Get": self.stocks,
            "OperatingCash/Get": self.operating_cashes,
            "User/Get": self.users,
            "PaymentType/Get": self.payment_types,
            "Partner/Get": self.partners,
            "Item/Get": self.items,
            "Item/GetExt": self.items_ext,
            "Item/GetCurrentQuantity": self.current_quantity,
        }

    async def current_timestamp(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return {"ok": True, "result": int(self.fake.now())}

    async def firms(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = int_list(body.get("ids"), "ids")
        rows = [self.fake.serializer.firm()] if ids is None or self.gen.firm_id in ids else []
        return paged(rows, body)

    async def stocks(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = int_list(body.get("ids"), "ids")
        firm_ids = int_list(body.get("firm_ids"), "firm_ids")
        deleted = opt_bool(body.get("deleted_mark"), "deleted_mark")
        search = str(body.get("search") or "").lower()
        rows = [
            self.fake.serializer.stock(s)
            for s in self.gen.stocks
            if (ids is None or s.id in ids)
            and (firm_ids is None or self.gen.firm_id in firm_ids)
            and deleted is not True
            and search in s.name.lower()
        ]
        return paged(rows, body)

    async def operating_cashes(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        """Tills as they stand now: a till moved to another branch shows its new ``stock``."""
        ids = int_list(body.get("ids"), "ids")
        stock_ids = int_list(body.get("stock_ids"), "stock_ids")
        horizon = self.gen.horizon()
        rows = [
            self.fake.serializer.operating_cash(t.id, horizon)
            for t in self.gen.tills
            if (ids is None or t.id in ids)
            and (stock_ids is None or self.gen.till_stock_at(t.id, horizon) in stock_ids)
        ]
        return paged(rows, body)

    async def users(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = int_list(body.get("ids"), "ids")
        active = opt_bool(body.get("active"), "active")
        search = str(body.get("search") or "").lower()
        rows = [
            self.fake.serializer.user(u)
            for u in self.gen.users
            if (ids is None or u.id in ids) and active is not False and search in u.full_name.lower()
        ]
        return paged(rows, body)

    async def payment_types(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return paged([self.fake.serializer.payment_type(p.id) for p in self.gen.payment_types], body)

    async def partners(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = int_list(body.get("ids"), "ids")
        rows = [self.fake.serializer.partner(p.id) for p in self.gen.partners if ids is None or p.id in ids]
        return paged(rows, body)

    def filtered_items(self, body: Mapping[str, Any]) -> list[ItemRec]:
        """Item/Get filters: ``ids``, ``group_ids``, ``deleted_mark`` (None = all, as REGOS), ``filters`` on
        ``last_update``, ``sort_orders`` by ``LastUpdate``."""
        ids = int_list(body.get("ids"), "ids")
        group_ids = int_list(body.get("group_ids"), "group_ids")
        deleted = opt_bool(body.get("deleted_mark"), "deleted_mark")
        items = [
            i
            for i in self.gen.items
            if (ids is None or i.id in ids)
            and (group_ids is None or i.group_id in group_ids)
            and (deleted is None or i.deleted_mark == deleted)
        ]
        for condition in body.get("filters") or []:
            if not isinstance(condition, Mapping):
                raise RegosApiError(*ERR_BAD_PARAMETERS)
            field_name = str(condition.get("Field", condition.get("field", ""))).replace("_", "").lower()
            op_name = str(condition.get("Operator", condition.get("operator", "")))
            value = opt_int(condition.get("Value", condition.get("value")), "Value")
            if field_name != "lastupdate" or value is None:
                raise bad_parameter(f"filter field {field_name}")
            if op_name not in COMPARATORS:
                raise bad_parameter(f"operator {op_name}")
            compare = COMPARATORS[op_name]
            items = [i for i in items if compare(i.last_update, value)]
        orders = body.get("sort_orders") or []
        if (
            isinstance(orders, list)
            and orders
            and isinstance(orders[0], Mapping)
            and orders[0].get("column") == "LastUpdate"
        ):
            items.sort(key=lambda i: (i.last_update, i.id), reverse=str(orders[0].get("direction")).upper() == "DESC")
        return items

    async def items(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return paged([self.fake.serializer.item(i) for i in self.filtered_items(body)], body)

    async def items_ext(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        stock_id = opt_int(body.get("stock_id"), "stock_id")
        if stock_id is None:
            raise required("stock_id")
        zero_quantity = opt_bool(body.get("zero_quantity"), "zero_quantity")
        horizon = self.gen.horizon()
        rows = []
        for item in self.filtered_items(body):
            quantity = self.gen.stock_level(item.id, stock_id, as_of=horizon)
            if zero_quantity is False and quantity == 0:
                continue
            rows.append(
                {
                    "item": self.fake.serializer.item(item),
                    "quantity": {"common": quantity, "allowed": quantity, "booked": Decimal(0)},
                    "pricetype": {"id": 1, "name": "Chakana narx"},
                    "price": item.price,
                    "last_purchase_cost": item.cost,
                    "image_url": None,
                }
            )
        return paged(rows, body)

    async def current_quantity(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        """Stock on hand now, delete-marked items included (the answer carries no item, so no flag)."""
        item_ids = int_list(body.get("item_ids"), "item_ids")
        if not item_ids:
            raise required("item_ids")
        if len(item_ids) > CURRENT_QUANTITY_MAX_IDS:
            raise bad_parameter(f"item_ids > {CURRENT_QUANTITY_MAX_IDS}")
        stock_ids = int_list(body.get("stock_ids"), "stock_ids") or [s.id for s in self.gen.stocks]
        horizon = self.gen.horizon()
        rows = [
            {"item_id": item_id, "stock_id": stock_id, "quantity": self.gen.stock_level(item_id, stock_id, horizon)}
            for item_id in item_ids
            if item_id in self.gen.items_by_id
            for stock_id in stock_ids
        ]
        return {"ok": True, "result": rows}
