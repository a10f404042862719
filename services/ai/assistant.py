"""The assistant as the bot and the CLI use it: answer a question (the model when configured, else offline; the
last turns from the store so a follow-up works), remember the turn, and log the exchange (question, tool calls,
answer, path, latency) for review; feedback (👍/👎 and a reason) is stored on the logged exchange.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from db.assistant import AiExchange
from db.base import utcnow
from services.ai.answer import Answer, answer
from services.ai.memory import Store
from services.ai.model import ModelConfig, ask_model
from services.ai.parser import MAX_QUESTION
from services.ai.tools import ToolContext

REASONS = ("wrong", "misunderstood", "incomplete", "other")


@dataclass(slots=True)
class Reply:
    answer: Answer
    exchange_id: int
    latency_ms: int


def _calls(result: Answer) -> list[dict[str, Any]]:
    if "calls" in result.arguments:
        return [{"name": c["name"], "arguments": c["arguments"], "ok": "error" not in (c["result"] or {})}
                for c in result.arguments["calls"]]
    if result.tool is None:
        return []
    return [{"name": result.tool, "arguments": {k: v for k, v in result.arguments.items() if k != "model_error"},
             "ok": True}]


async def respond(ctx: ToolContext, text: str, *, store: Store, telegram_id: int, user_id: int | None,
                  config: ModelConfig | None = None, client: Any | None = None, path: str | None = None) -> Reply:
    started = time.perf_counter()
    question = text[:MAX_QUESTION]
    if config is not None:
        result = await ask_model(ctx, question, config, store, user_id=telegram_id, client=client)
    else:
        history = await store.history(ctx.company_id, telegram_id)
        previous = next((t.get("meta") for t in reversed(history) if t["role"] == "assistant"), None)
        result = await answer(ctx, question, previous=previous or None)
    if result.meta:
        await store.remember(ctx.company_id, telegram_id, question, result.text, result.meta)
    latency = int((time.perf_counter() - started) * 1000)
    exchange = AiExchange(company_id=ctx.company_id, user_id=user_id, telegram_id=telegram_id,
                          language=result.language, path=path or result.path, intent=result.intent[:32],
                          question=question, answer=result.text, tools=_calls(result),
                          note=(result.arguments.get("model_error") or result.note or None), latency_ms=latency)
    ctx.session.add(exchange)
    await ctx.session.flush()
    return Reply(result, exchange.id, latency)


async def give_feedback(session: Any, company_id: int, exchange_id: int, telegram_id: int, value: int,
                        reason: str | None = None) -> bool:
    """The asker's 👍 (+1) or 👎 (-1), with a reason for 👎; only on their own answer in this company. Pressing
    the same again changes nothing (returns False)."""
    if value not in (1, -1) or (reason is not None and reason not in REASONS):
        return False
    row = await session.get(AiExchange, exchange_id)
    if row is None or row.company_id != company_id or row.telegram_id != telegram_id:
        return False  # another company's or another person's answer looks exactly like a missing one
    reason = reason if value < 0 else None
    if row.feedback == value and (reason is None or row.reason == reason):
        return False
    row.feedback, row.feedback_at = value, utcnow()
    if value > 0 or reason is not None:
        row.reason = reason
    await session.flush()
    return True


async def recent(session: Any, company_id: int | None, *, limit: int = 20, only_negative: bool = False,
                 since: datetime | None = None) -> list[AiExchange]:
    query = select(AiExchange).order_by(AiExchange.id.desc()).limit(limit)
    if company_id is not None:
        query = query.where(AiExchange.company_id == company_id)
    if only_negative:
        query = query.where(AiExchange.feedback == -1)
    if since is not None:
        query = query.where(AiExchange.created_at >= since)
    return list((await session.scalars(query)).all())


def exchange_json(row: AiExchange) -> dict[str, Any]:
    return {"id": row.id, "company_id": row.company_id, "telegram_id": row.telegram_id,
            "at": row.created_at.isoformat(),
            "language": row.language, "path": row.path, "intent": row.intent, "question": row.question,
            "answer": row.answer, "tools": row.tools, "note": row.note, "latency_ms": row.latency_ms,
            "feedback": row.feedback, "reason": row.reason}
