"""The FSM data of a multi-step feature (an expense, a cash operation, an owner's setting), kept under its own keys
so that one flow never wipes another's, bound to the company it was started in, and over after a time limit.

    EXPENSE = Steps(ExpenseFlowCb, prefix="ex", ttl=timedelta(minutes=30), expired="expense-flow-expired")
    await EXPENSE.begin(state, ctx)              # a new flow instance (its buttons carry the new flow id)
    data = await EXPENSE.data(state, ctx)        # refuses another company's or an expired flow (and ends it)
    await EXPENSE.forget(state)                  # done, cancelled: its keys and its buttons are gone
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext

from db.base import utcnow
from handlers.kit import end_flow, start_flow
from services.errors import DomainError
from services.users import ActiveContext


@dataclass(frozen=True)
class Steps:
    callback: type[CallbackData] | None  # the flow's buttons (None: a one-question step with no buttons)
    prefix: str  # its FSM data keys start with this and "_"
    ttl: timedelta | None = None
    expired: str = "error-step-over"

    @property
    def company_key(self) -> str:
        return f"{self.prefix}_company"

    @property
    def started_key(self) -> str:
        return f"{self.prefix}_started"

    async def begin(self, state: FSMContext, ctx: ActiveContext, **values: Any) -> int:
        """Forgets an earlier instance and starts a new one; returns its flow id (0 without buttons)."""
        await self.forget(state)
        flow = await start_flow(state, self.callback) if self.callback is not None else 0
        await state.update_data({self.company_key: ctx.company.id, self.started_key: utcnow().isoformat(),
                                 **{f"{self.prefix}_{key}": value for key, value in values.items()}})
        return flow

    async def forget(self, state: FSMContext) -> None:
        if self.callback is not None:
            await end_flow(state, self.callback)
        data = await state.get_data()
        await state.set_data({key: value for key, value in data.items() if not key.startswith(f"{self.prefix}_")})
        await state.set_state(None)

    async def data(self, state: FSMContext, ctx: ActiveContext) -> dict[str, Any]:
        """The running instance's data; one started in another company, or left past the time limit, is over."""
        data = await state.get_data()
        if data.get(self.company_key) != ctx.company.id:
            await self.forget(state)
            raise DomainError("error-step-over")
        if self.ttl is not None and utcnow() - datetime.fromisoformat(str(data.get(self.started_key))) > self.ttl:
            await self.forget(state)
            raise DomainError(self.expired)
        return data


__all__ = ["Steps"]
