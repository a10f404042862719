"""What a feature gives the engine to make something approvable: an `ApprovalKind`, registered once.

A kind knows how to load its object, how its card reads (pure data: the engine renders it in each approver's
language) and what approval, rejection and withdrawal do to the object (in the deciding transaction). Features
never write approval buttons of their own.

    class ExpenseApproval(ApprovalKind):
        name = "expense"
        default_policy = PolicyDefaults(Capability.APPROVE, limits={Role.MANAGER: Decimal("5000000")})
        async def load(self, session, company_id, object_id): ...
        async def card(self, session, obj): return Card(Label("expense-card-title", id=obj.id), facts=(...))
        async def on_approve(self, session, request, obj): obj.status = "approved"
        async def on_reject(self, session, request, obj): obj.status = "rejected"

    register(ExpenseApproval())

The module that registers a kind is listed in KIND_MODULES, so the engine (handlers, jobs, the CLI) finds every
kind without importing features itself.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.approvals import ApprovalRequest
from db.models import Role
from services.errors import DomainError
from services.permissions import Capability

# The modules that register a kind when imported (a new approvable feature adds its module here).
KIND_MODULES: tuple[str, ...] = ("services.expenses", "services.cash", "services.payroll.approval",
                                  "services.purchases.records", "services.tax.reports")

DEFAULT_REMIND_AFTER = timedelta(hours=4)
DEFAULT_ESCALATE_AFTER = timedelta(hours=24)


# --- a card as pure data ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Label:
    """A value that is itself a text of the locale files (a category's built-in name, a movement kind)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Fact:
    """One line of a card: `label` is an i18n key; `value` is rendered by type — Decimal as money, date and
    datetime for the locale (in the company's zone), Label translated, anything else as escaped text."""

    label: str
    value: str | int | Decimal | date | datetime | Label | None


@dataclass(frozen=True, slots=True)
class Attachment:
    kind: str  # "photo" | "document"
    file_id: str


@dataclass(frozen=True, slots=True)
class Card:
    title: Label
    facts: tuple[Fact, ...] = ()
    attachment: Attachment | None = None


# --- a kind -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PolicyDefaults:
    """A kind's policy before a company changes it: who may decide (a capability) and up to which amount per role
    (a role with the capability and no limit decides any amount)."""

    capability: Capability
    limits: Mapping[Role, Decimal] = field(default_factory=dict)
    remind_after: timedelta = DEFAULT_REMIND_AFTER
    escalate_after: timedelta = DEFAULT_ESCALATE_AFTER


class ApprovalKind:
    """Base of every kind; override what the kind does (the withdrawal hook is optional)."""

    name: str = ""
    default_policy: PolicyDefaults = PolicyDefaults(Capability.APPROVE)

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> Any | None:
        """The object, or None when it is gone or belongs to another company."""
        raise NotImplementedError

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        raise NotImplementedError

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        """In the deciding transaction; a `DomainError` raised here refuses the decision (nothing changes)."""
        raise NotImplementedError

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        raise NotImplementedError

    async def on_withdraw(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await self.on_reject(session, request, obj)


class UnknownKind(DomainError):
    key = "approval-not-found"


_KINDS: dict[str, ApprovalKind] = {}
_loaded = False


def register(kind: ApprovalKind) -> ApprovalKind:
    """Makes a kind known to the engine (once per process; registering the same name again replaces it)."""
    if not kind.name or len(kind.name) > 32:
        raise ValueError("a kind needs a short name")
    _KINDS[kind.name] = kind
    return kind


def _load_all() -> None:
    global _loaded
    if not _loaded:
        for module in KIND_MODULES:
            importlib.import_module(module)
        _loaded = True


def get_kind(name: str) -> ApprovalKind:
    if name not in _KINDS:
        _load_all()
    kind = _KINDS.get(name)
    if kind is None:
        raise UnknownKind()
    return kind


def all_kinds() -> dict[str, ApprovalKind]:
    _load_all()
    return dict(_KINDS)


__all__ = [
    "DEFAULT_ESCALATE_AFTER",
    "DEFAULT_REMIND_AFTER",
    "KIND_MODULES",
    "ApprovalKind",
    "Attachment",
    "Card",
    "Fact",
    "Label",
    "PolicyDefaults",
    "UnknownKind",
    "all_kinds",
    "get_kind",
    "register",
]
