"""SMS through Eskiz: queued messages (payslips, invites, codes) go out every half minute; delivery statuses that
no callback reported are asked for every ten minutes. Nothing runs while Eskiz is not configured."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from bot.scheduler import JobContext, JobRegistry
from services.sms.client import EskizClient
from services.sms.errors import EskizError
from services.sms.service import poll_statuses, send_queued
from services.sms.store import DbTokenStore

SEND_EVERY = timedelta(seconds=30)
POLL_EVERY = timedelta(minutes=10)
log = logging.getLogger(__name__)


def _client(context: JobContext) -> EskizClient | None:
    settings = context.settings
    if not settings.eskiz_email or settings.eskiz_password is None or context.secret_box is None:
        return None
    return EskizClient.from_settings(settings, token_store=DbTokenStore(context.session_factory, context.secret_box))


async def _with_client(context: JobContext, work: Callable[[EskizClient], Awaitable[object]], what: str) -> None:
    client = _client(context)
    if client is None:
        return
    async with client:
        try:
            await work(client)
        except EskizError as error:  # Eskiz down or refusing: the rows stay queued for the next run
            log.warning("%s postponed: %s", what, error)


async def send(context: JobContext) -> None:
    await _with_client(context, lambda client: send_queued(context.session_factory, client), "SMS sending")


async def poll(context: JobContext) -> None:
    await _with_client(context, lambda client: poll_statuses(context.session_factory, client), "SMS status poll")


def register(jobs: JobRegistry) -> None:
    jobs.every(SEND_EVERY, "sms_send", send)
    jobs.every(POLL_EVERY, "sms_poll", poll)
