"""The card kit without a bot: callback data sizes, refusal texts, the router factory."""

from __future__ import annotations

import typing
from datetime import date
from enum import Enum

import pytest
from aiogram import Router
from aiogram.filters.callback_data import CallbackData

import handlers
from db.models import Role
from handlers import get_routers
from handlers.callbacks import ALL_CALLBACKS, CompanyCallback, FlowCallback, InviteAction, InviteCb
from handlers.kit import refusal_text
from services.errors import DomainError, PermissionDenied
from services.reports.dates import DateInputError

BIG_ID = 2**31 - 1  # the largest id either database hands out for an INTEGER key (and above any flow id)
LAST_DAY = 39_999  # days since DAY_ZERO that a report button accepts


def _longest(name: str, field_type: typing.Any) -> typing.Any:
    """The value of a field that packs to the longest text it can really hold."""
    if name in ("first", "last"):
        return LAST_DAY
    for candidate in typing.get_args(field_type) or (field_type,):
        if isinstance(candidate, type) and issubclass(candidate, Enum):
            return max(candidate, key=lambda member: len(str(member.value)))
        if candidate is int:
            return BIG_ID
        if candidate is str:
            return "xx"  # locale codes, the only free text
    raise AssertionError(f"no longest value for {field_type!r}")


@pytest.mark.parametrize("callback", ALL_CALLBACKS, ids=lambda callback: callback.__name__)
def test_every_callback_fits_in_64_bytes_at_its_longest(callback: type[CallbackData]) -> None:
    hints = typing.get_type_hints(callback)
    values = {name: _longest(name, hints[name]) for name in callback.model_fields}
    packed = callback(**values).pack()  # pack() itself refuses more than 64 bytes
    assert len(packed.encode()) <= 64
    assert callback.unpack(packed) == callback(**values)


def test_company_and_flow_bases() -> None:
    invite = InviteCb(company=5, flow=7, action=InviteAction.ROLE, role=Role.CASHIER)
    assert isinstance(invite, CompanyCallback) and "flow" in InviteCb.model_fields
    assert invite.pack() == "iv:5:7:role:cashier:0"
    assert not issubclass(InviteCb, FlowCallback)  # its flow field comes from CompanyFlowCallback
    prefixes = [callback.__prefix__ for callback in ALL_CALLBACKS]
    assert len(prefixes) == len(set(prefixes))


def test_refusal_text_escapes_translates_roles_and_formats_dates() -> None:
    assert refusal_text("en", DomainError("error-timezone", value="<b>Mars</b>")) == (
        "\"&lt;b&gt;Mars&lt;/b&gt;\" is not a time zone I know. Choose a button or send a name like Asia/Tashkent.")
    assert "«кассир»" in refusal_text("ru", PermissionDenied("error-role-not-assignable", role=Role.CASHIER))
    assert "«кассир»" in refusal_text("ru", PermissionDenied("error-role-not-assignable", role="cashier"))
    roles = refusal_text("en", PermissionDenied("error-no-permission-roles", roles=(Role.OWNER, Role.MANAGER)))
    assert roles.startswith("Your role does not allow this") and "owner, manager" in roles
    uz = refusal_text("uz", PermissionDenied("error-no-permission-roles", roles=(Role.OWNER,)))
    assert "ega" in uz
    future = refusal_text("en", DateInputError("report-error-future", value=date(2031, 5, 2)))
    assert "2 May 2031" in future
    stale = DomainError("error-stale-button")
    assert refusal_text(None, stale) == refusal_text("uz", stale)


def test_routers_are_built_fresh_and_no_module_holds_one() -> None:
    first, second = get_routers(), get_routers()
    assert [r.name for r in first] == [r.name for r in second]
    assert all(a is not b for a, b in zip(first, second, strict=True))
    assert first[0].name == "errors" and first[-1].name == "fallback"
    for module in (handlers.errors, handlers.help, handlers.membership, handlers.regos, handlers.reports,
                   handlers.settings, handlers.start, handlers.sync):
        assert not [name for name, value in vars(module).items() if isinstance(value, Router)], module.__name__
