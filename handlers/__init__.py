"""Routers in the order they are tried: errors, features, then the fallback that answers anything left."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    # Imported here so that building a dispatcher twice (tests) gets fresh router objects.
    import importlib

    from handlers import errors, help, membership, regos, reports, settings, start, sync

    modules = [errors, start, help, membership, sync, regos, settings, reports]
    for module in modules:
        importlib.reload(module)
    return [errors.router, regos.router, start.router, help.router, membership.router, sync.router,
            settings.router, reports.router, help.fallback_router]
