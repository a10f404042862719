"""Alembic environment: migrations run on a connection handed over by db.migrate (async engines)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import db.approvals
import db.assistant
import db.books
import db.finance
import db.models
import db.outbox
import db.payroll
import db.purchases
import db.regos_data
import db.sms
import db.tax  # noqa: F401
from db.base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_url() -> None:
    # `alembic` CLI use: DATABASE_URL from settings.
    from core.config import get_settings
    from db.engine import create_engine

    async def go() -> None:
        engine = create_engine(get_settings().database_url)
        async with engine.begin() as connection:
            await connection.run_sync(_run)
        await engine.dispose()

    asyncio.run(go())


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_from_url()
