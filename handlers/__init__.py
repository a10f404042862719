"""Routers in the order they are tried: errors, features, then the fallback that answers anything left.

Each module's `get_router()` builds a fresh Router on every call, so each dispatcher (tests build many) owns its
own routers; handlers themselves are plain module functions registered there."""

from __future__ import annotations

from aiogram import Router

from handlers import (
    approvals,
    assistant,
    cash,
    errors,
    expenses,
    help,
    invoices,
    membership,
    mysales,
    payroll,
    regos,
    reports,
    settings,
    start,
    sync,
    tax,
)


def get_routers() -> list[Router]:
    return [errors.get_router(), regos.get_router(), start.get_router(), help.get_router(),
            membership.get_router(), sync.get_router(), settings.get_router(), reports.get_router(),
            tax.get_router(), payroll.get_router(), mysales.get_router(), approvals.get_router(), expenses.get_router(),
            cash.get_router(), invoices.get_router(), assistant.get_router(),
            help.get_fallback_router()]
