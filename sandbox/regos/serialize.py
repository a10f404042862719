"""Generator records → REGOS JSON shapes (field names as in REGOS's public Swagger), and a JSON encoder that
writes ``Decimal`` as exact JSON numbers (``12500.00``), like REGOS, without passing through float."""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from typing import Any

from .generator import (
    ItemRec,
    LineRec,
    PaymentRec,
    ReceiptRec,
    RegosDataGenerator,
    SessionRec,
    StockRec,
    UserRec,
    WholesaleLineRec,
    WholesaleRec,
)

CENT = Decimal("0.01")
ZERO_RATE = Decimal("0.00")
_DECIMAL_MARK = "\x00D"
_DECIMAL_PATTERN = re.compile(r'"\\u0000D(-?[0-9]+(?:\.[0-9]+)?)"')


def _mark_decimal(value: object) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("cannot send a non-finite Decimal")
        return f"{_DECIMAL_MARK}{value:f}"
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode(payload: Any) -> bytes:
    """JSON with Decimals as bare numbers: the C encoder writes a marked string, a regex unquotes it."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_mark_decimal)
    return _DECIMAL_PATTERN.sub(r"\1", text).encode()


class RegosSerializer:
    """Builds REGOS dicts; reference objects (users, stocks, items) are built once per generator version."""

    def __init__(self, generator: RegosDataGenerator) -> None:
        self.gen = generator
        self._version = -1
        self._cache: dict[tuple[str, object], dict[str, Any]] = {}

    def _cached(self, kind: str, key: object, build: Any) -> dict[str, Any]:
        if self._version != self.gen.version:
            self._cache.clear()
            self._version = self.gen.version
        found = self._cache.get((kind, key))
        if found is None:
            found = build()
            self._cache[(kind, key)] = found
        return found

    # -- references ---------------------------------------------------------------------------------------------

    def firm(self) -> dict[str, Any]:
        from . import catalog

        return self._cached(
            "firm",
            self.gen.firm_id,
            lambda: {
                "id": self.gen.firm_id,
                "name": catalog.COMPANY_NAME,
                "fullname": f'"{catalog.COMPANY_NAME}"',
                "boss_name": self.gen.users[0].full_name,
                "address": self.gen.stocks[0].address,
                "inn": catalog.COMPANY_INN,
                "deleted_mark": False,
                "last_update": self.gen.users[0].last_update,
            },
        )

    def stock(self, stock: StockRec) -> dict[str, Any]:
        return self._cached(
            "stock",
            stock.id,
            lambda: {
                "id": stock.id,
                "name": stock.name,
                "address": stock.address,
                "firm": self.firm(),
                "area": Decimal("120.00") + stock.id * 35,
                "description": "24/7"
                if stock.close_hour == 24
                else f"{stock.open_hour:02d}:00–{stock.close_hour:02d}:00",
                "deleted_mark": False,
                "last_update": self.gen.users[0].last_update,
            },
        )

    def operating_cash(self, till_id: int, horizon: float = math.inf) -> dict[str, Any]:
        """The till as REGOS shows it at ``horizon``: in the branch it stands in then."""
        till = self.gen.tills[till_id - 1]
        stock_id = self.gen.till_stock_at(till_id, horizon)
        last_update = self.gen.till_last_update(till_id, horizon)
        return self._cached(
            "till",
            (till_id, stock_id, last_update),
            lambda: {
                "id": till.id,
                "stock": self.stock(self.gen.stocks[stock_id - 1]),
                "key": till.key,
                "price_type": {"id": 1, "name": "Chakana narx"},
                "description": f"Kassa {till.index + 1}",
                "virtual": False,
                "auto_close": False,
                "max_cheque_quantity_in_session": 0,
                "last_update": last_update,
            },
        )

    def user(self, user: UserRec) -> dict[str, Any]:
        role_names = {"owner": "Direktor", "manager": "Menejer", "cashier": "Kassir", "seller": "Sotuvchi"}
        return self._cached(
            "user",
            user.id,
            lambda: {
                "id": user.id,
                "full_name": user.full_name,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "middle_name": None,
                "main_phone": user.phone,
                "phones": user.phone,
                "email": None,
                "login": user.login,
                "user_group": {
                    "id": ["owner", "manager", "cashier", "seller"].index(user.role) + 1,
                    "name": role_names[user.role],
                },
                "seller_barcode": user.seller_barcode,
                "active": True,
                "can_authorize": user.role != "seller",
                "system": False,
                "sex": "Male" if user.gender == "M" else "Female",
                "photo_url": None,
                "last_update": user.last_update,
            },
        )

    def user_by_id(self, user_id: int | None) -> dict[str, Any] | None:
        if user_id is None:
            return None
        return self.user(self.gen.users_by_id[user_id])

    def item(self, item: ItemRec) -> dict[str, Any]:
        group = self.gen.groups[item.group_id - 1]
        return self._cached(
            "item",
            item.id,
            lambda: {
                "id": item.id,
                "code": item.code,
                "name": item.name,
                "fullname": item.name,
                "articul": f"A{item.code}",
                "group": {"id": group.id, "name": group.name, "parent_id": None},
                "department": {"id": group.id, "name": group.name},
                "vat": {"id": item.vat[0], "name": item.vat[1], "value": Decimal(item.vat[2]).quantize(CENT)},
                "unit": {"id": 2 if item.weighted else 1, "name": item.unit},
                "unit2": None,
                "base_barcode": item.barcode,
                "barcode_list": item.barcode,
                "brand": None,
                "producer": None,
                "country": {"id": 1, "name": "O'zbekiston"},
                "icps": f"0{item.group_id:02d}{item.code:011d}",
                "type": "Item",
                "deleted_mark": item.deleted_mark,
                "image_url": None,
                "min_quantity": item.min_quantity,
                "last_update": item.last_update,
            },
        )

    def payment_type(self, type_id: int) -> dict[str, Any]:
        ptype = self.gen.payment_types_by_id[type_id]
        return self._cached(
            "ptype",
            type_id,
            lambda: {
                "id": ptype.id,
                "name": ptype.name,
                "account": None,
                "shortkey": ptype.id,
                "is_cash": ptype.is_cash,
                "kkm_code": ptype.kkm_code,
                "last_update": self.gen.users[0].last_update,
            },
        )

    def partner(self, partner_id: int) -> dict[str, Any]:
        partner = self.gen.partners[partner_id - 1]
        return self._cached(
            "partner",
            partner_id,
            lambda: {"id": partner.id, "name": partner.name, "fullname": partner.name, "inn": partner.inn},
        )

    # -- documents ------------------------------------------------------------------------------------------------

    def doc_cheque(self, receipt: ReceiptRec) -> dict[str, Any]:
        reason = next((r for r in self.gen.return_reasons if r[0] == receipt.return_reason_id), None)
        return {
            "uuid": receipt.uuid,
            "date": receipt.date,
            "code": receipt.code,
            "status": receipt.status,
            "session": receipt.session_uuid,
            "cashier": self.user_by_id(receipt.cashier_id),
            "is_return": receipt.is_return,
            "seller": self.user_by_id(receipt.seller_id),
            "return_reason": {"id": reason[0], "name": reason[1]} if reason else None,
            "card": None,
            "amount": receipt.amount,
            "agregate_status": "Agregated" if receipt.is_closed else "New",
            "last_update": receipt.last_update,
        }

    def doc_cheque_short(self, receipt: ReceiptRec) -> dict[str, Any]:
        stock = self.gen.stocks[receipt.stock_id - 1]
        from . import catalog

        return {
            "uuid": receipt.uuid,
            "operating_cash_id": receipt.till_id,
            "date": receipt.date,
            "code": receipt.code,
            "sale_status": receipt.status,
            "session_uuid": receipt.session_uuid,
            "session_code": None,
            "is_return": receipt.is_return,
            "amount": receipt.amount,
            "stock_id": stock.id,
            "stock_name": stock.name,
            "firm_id": self.gen.firm_id,
            "firm_name": catalog.COMPANY_NAME,
            "customer_id": None,
            "customer_name": None,
            "card_id": None,
            "card_barcode": None,
        }

    def cheque_line(self, line: LineRec) -> dict[str, Any]:
        return {
            "uuid": line.uuid,
            "has_storno": line.has_storno,
            "storno_uuid": line.storno_uuid,
            "document": line.receipt_uuid,
            "stock_id": line.stock_id,
            "item": self.item(self.gen.items_by_id[line.item_id]),
            "order": line.order,
            "quantity": line.quantity,
            "price": line.price,
            "price2": line.price2,
            "promo_id": None,
            "vat_value": Decimal(self.gen.items_by_id[line.item_id].vat[2]).quantize(CENT),
            "last_update": line.last_update,
        }

    def cheque_payment(self, payment: PaymentRec) -> dict[str, Any]:
        ptype = self.payment_type(payment.payment_type_id)
        return {
            "uuid": payment.uuid,
            "has_storno": payment.has_storno,
            "storno_uuid": payment.storno_uuid,
            "document": payment.receipt_uuid,
            "order": payment.order,
            "type": ptype,
            "payment_type": ptype,
            "value": payment.value,
            "has_change": payment.has_change,
            "change_uuid": payment.change_uuid,
        }

    def cash_session(self, session: SessionRec) -> dict[str, Any]:
        return {
            "uuid": session.uuid,
            "code": session.code,
            "operating_cash_id": session.till_id,
            "start_date": session.start_date,
            "start_user": self.user_by_id(session.start_user_id),
            "start_amount": session.start_amount,
            "close_date": session.close_date if session.closed else None,
            "close_user": self.user_by_id(session.close_user_id) if session.closed else None,
            "closed": session.closed,
            "close_amount": session.close_amount if session.closed else None,
            "last_update": session.last_update,
        }

    def wholesale(self, doc: WholesaleRec) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": doc.id,
            "date": doc.date,
            "code": doc.code,
            "partner": self.partner(doc.partner_id),
            "stock": self.stock(self.gen.stocks[doc.stock_id - 1]),
            "currency": {"id": 1, "name": "So'm", "code_chr": "UZS"},
            "contract": None,
            "description": doc.description,
            "amount": doc.amount,
            "vat_calculation_type": doc.vat_calculation_type,
            "exchange_rate": Decimal("1.00"),
            "attached_user": self.user_by_id(doc.attached_user_id),
            "blocked": False,
            "current_user_blocked": False,
            "performed": doc.performed,
            "deleted_mark": doc.deleted_mark,
            "last_update": doc.last_update,
        }
        if not doc.is_return:
            body["seller"] = self.user_by_id(doc.attached_user_id)
            body["price_type"] = {"id": 2, "name": "Ulgurji narx"}
        return body

    def wholesale_line(self, line: WholesaleLineRec) -> dict[str, Any]:
        from . import catalog

        item = self.gen.items_by_id[line.item_id]
        vat_type = catalog.WHOLESALE_VAT_TYPES[line.document_id % len(catalog.WHOLESALE_VAT_TYPES)]  # as its document
        return {
            "id": line.id,
            "document_id": line.document_id,
            "item": self.item(item),
            "quantity": line.quantity,
            "order": line.order,
            "price": line.price,
            "price2": line.price,
            "vat_value": ZERO_RATE if vat_type == "No" else Decimal(item.vat[2]).quantize(CENT),
            "last_purchase_cost": line.cost,
            "vat_calculation_type": vat_type,
            "description": None,
            "last_update": line.last_update,
        }
