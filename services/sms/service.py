"""SMS as a domain: each message is a row (``sms_messages``) with its status, from the caller's transaction to the
operator's delivery report.

``queue_sms`` records a message in the caller's transaction (so a rollback never sends it); ``send_queued`` sends
what is queued after commit (one SMS through ``send``, several through ``send-batch`` after the quota check) and
records Eskiz's request ids; ``apply_delivery_report`` applies a callback (the HTTP route in
``services.sms.callbacks`` calls it) and ``poll_statuses`` asks ``status_by_id`` for messages no callback reached.
Statuses only move forward (``next_status``), so a repeated or late report changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.sms import SmsMessage, SmsStatus

from .client import BatchMessage, EskizClient, logger
from .errors import (
    EskizError,
    EskizQuotaError,
    EskizRefused,
    EskizTestModeError,
    EskizUnavailable,
)
from .phones import mask_phone, normalize_phone
from .reports import DeliveryReport, classify_provider_status, next_status
from .texts import MAX_PARTS, sms_parts

DEFAULT_SEND_LIMIT = 500


def _utcnow() -> datetime:
    return datetime.now(UTC)


async def queue_sms(
    session: AsyncSession,
    phone: str,
    text: str,
    *,
    company_id: int | None = None,
    purpose: str = "manual",
    ref_id: int | None = None,
) -> SmsMessage:
    """Record an SMS to send after commit. Raises ``InvalidPhoneError`` or ``ValueError`` (empty, too long)."""
    number = normalize_phone(phone)
    if not text.strip():
        raise ValueError("the SMS text is empty")
    parts = sms_parts(text)
    if parts > MAX_PARTS:
        raise ValueError(f"the SMS text takes {parts} parts; at most {MAX_PARTS} are sent")
    message = SmsMessage(company_id=company_id, phone=number, text=text, purpose=purpose, ref_id=ref_id,
                         user_sms_id=uuid.uuid4().hex, status=SmsStatus.QUEUED, parts=parts)
    session.add(message)
    await session.flush()
    return message


@dataclass
class SendReport:
    """What one ``send_queued`` pass did; ``error`` is the failure that stopped (part of) it."""

    accepted: list[int] = field(default_factory=list)  # ids Eskiz took (now waiting)
    refused: list[int] = field(default_factory=list)  # ids Eskiz refused for good (test mode, bad request)
    requeued: list[int] = field(default_factory=list)  # ids back in the queue (quota, network, token)
    failed: list[int] = field(default_factory=list)  # ids Eskiz may or may not have taken (timeout, 500)
    error: EskizError | None = None

    @property
    def quota_exhausted(self) -> bool:
        return isinstance(self.error, EskizQuotaError)

    @property
    def test_mode(self) -> bool:
        return isinstance(self.error, EskizTestModeError)


async def _claim(session_factory: async_sessionmaker[AsyncSession], limit: int,
                 ids: Sequence[int] | None) -> list[SmsMessage]:
    worker = uuid.uuid4().hex
    async with session_factory() as session:
        query = select(SmsMessage.id).where(SmsMessage.status == SmsStatus.QUEUED).order_by(SmsMessage.id)
        if ids is not None:
            query = query.where(SmsMessage.id.in_(list(ids)))
        candidates = list(await session.scalars(query.limit(limit)))
        if not candidates:
            return []
        await session.execute(
            update(SmsMessage)
            .where(SmsMessage.id.in_(candidates), SmsMessage.status == SmsStatus.QUEUED)
            .values(status=SmsStatus.SENDING, claimed_by=worker, updated_at=_utcnow())
        )
        await session.commit()
        rows = await session.scalars(
            select(SmsMessage).where(SmsMessage.claimed_by == worker, SmsMessage.status == SmsStatus.SENDING)
            .order_by(SmsMessage.id)
        )
        return list(rows)


def _disposition(error: EskizError) -> SmsStatus:
    if isinstance(error, EskizUnavailable) and error.maybe_taken:
        return SmsStatus.FAILED  # never repeated: Eskiz may have sent it
    if isinstance(error, (EskizTestModeError, EskizRefused)):
        return SmsStatus.REFUSED
    return SmsStatus.QUEUED  # quota, network before sending, token/credentials: try again later


async def _settle(session_factory: async_sessionmaker[AsyncSession], report: SendReport,
                  accepted: dict[int, tuple[str, int | None]], errored: dict[int, EskizError]) -> None:
    now = _utcnow()
    async with session_factory() as session:
        for message_id, (request_id, dispatch_id) in accepted.items():
            await session.execute(
                update(SmsMessage).where(SmsMessage.id == message_id).values(
                    status=SmsStatus.WAITING, request_id=request_id, dispatch_id=dispatch_id, sent_at=now,
                    provider_status="waiting", error=None, updated_at=now)
            )
            report.accepted.append(message_id)
        for message_id, error in errored.items():
            status = _disposition(error)
            await session.execute(
                update(SmsMessage).where(SmsMessage.id == message_id).values(
                    status=status, error=str(error)[:1000], updated_at=now,
                    claimed_by=None if status == SmsStatus.QUEUED else SmsMessage.claimed_by)
            )
            {SmsStatus.FAILED: report.failed, SmsStatus.REFUSED: report.refused}.get(status, report.requeued).append(
                message_id)
        await session.commit()


async def send_queued(
    session_factory: async_sessionmaker[AsyncSession],
    client: EskizClient,
    *,
    limit: int = DEFAULT_SEND_LIMIT,
    ids: Sequence[int] | None = None,
) -> SendReport:
    """Send queued SMS (only ``ids`` when given). Each row is claimed first, so two senders never send one twice."""
    report = SendReport()
    rows = await _claim(session_factory, limit, ids)
    if not rows:
        return report
    accepted: dict[int, tuple[str, int | None]] = {}
    errored: dict[int, EskizError] = {}
    try:
        await _send_rows(client, rows, report, accepted, errored)
    except BaseException:  # a bug or a cancellation: nothing was taken that we know of, so queue them again
        for row in rows:
            if row.id not in accepted:
                interrupted = EskizUnavailable("sending was interrupted; Eskiz may have taken it")
                interrupted.maybe_taken = True  # at most once: never repeated
                errored.setdefault(row.id, interrupted)
        await _settle(session_factory, report, accepted, errored)
        raise
    await _settle(session_factory, report, accepted, errored)
    if report.error is not None:
        logger.warning("SMS sending: %d accepted, %d refused, %d requeued, %d failed: %s", len(report.accepted),
                       len(report.refused), len(report.requeued), len(report.failed), report.error)
    return report


async def _send_rows(client: EskizClient, rows: list[SmsMessage], report: SendReport,
                     accepted: dict[int, tuple[str, int | None]], errored: dict[int, EskizError]) -> None:
    if len(rows) == 1:
        row = rows[0]
        try:
            result = await client.send(row.phone, row.text)
            accepted[row.id] = (result.request_id, None)
        except EskizError as error:
            errored[row.id] = error
            report.error = error
    else:
        by_user_id = {row.user_sms_id: row for row in rows}
        try:
            results = await client.send_batch([BatchMessage(r.phone, r.text, r.user_sms_id) for r in rows])
        except EskizError as error:
            report.error = error
            results = list(error.accepted)
            taken = {m.user_sms_id for batch in results for m in batch.messages}
            untried = [r for r in rows if r.user_sms_id not in taken]
            failing = untried[: client.batch_size]
            for position, row in enumerate(untried):
                errored[row.id] = error if position < len(failing) else EskizError("not tried: an earlier chunk failed")
        for batch in results:
            for message in batch.messages:
                accepted[by_user_id[message.user_sms_id].id] = (batch.request_id, batch.dispatch_id)


async def send_now(
    session_factory: async_sessionmaker[AsyncSession],
    client: EskizClient,
    phone: str,
    text: str,
    *,
    company_id: int | None = None,
    purpose: str = "manual",
    ref_id: int | None = None,
) -> tuple[SmsMessage, SendReport]:
    """Record one SMS, commit, send it at once; returns the row as it ended and the send report."""
    async with session_factory() as session:
        message = await queue_sms(session, phone, text, company_id=company_id, purpose=purpose, ref_id=ref_id)
        await session.commit()
        message_id = message.id
    report = await send_queued(session_factory, client, ids=[message_id])
    async with session_factory() as session:
        row = await session.get(SmsMessage, message_id)
        assert row is not None
        return row, report


ReportResult = Literal["updated", "unchanged", "unknown"]


@dataclass(frozen=True)
class ReportOutcome:
    result: ReportResult
    message_id: int | None = None
    status: str | None = None


async def _find_reported(session: AsyncSession, report: DeliveryReport) -> SmsMessage | None:
    if report.user_sms_id:
        row = await session.scalar(select(SmsMessage).where(SmsMessage.user_sms_id == report.user_sms_id))
        # the request id must match too: a forged report has to know both
        if row is not None and (row.request_id is None or not report.request_id
                                or row.request_id == report.request_id):
            return row
        return None
    if not report.request_id:
        return None
    rows = list(await session.scalars(select(SmsMessage).where(SmsMessage.request_id == report.request_id)))
    if len(rows) > 1 and report.phone:
        rows = [row for row in rows if row.phone == report.phone]
    return rows[0] if len(rows) == 1 else None


async def apply_delivery_report(session: AsyncSession, report: DeliveryReport) -> ReportOutcome:
    """Apply one delivery report to its SMS in the caller's transaction. Idempotent; a late or repeated report
    changes nothing; a report for no known SMS is ``unknown``."""
    row = await _find_reported(session, report)
    if row is None:
        return ReportOutcome("unknown")
    target = classify_provider_status(report.status)
    decided = next_status(SmsStatus(row.status), row.status_at, target, report.status_at) if target else None
    if report.message_id and not row.provider_id:
        row.provider_id = report.message_id
    if decided is None:
        return ReportOutcome("unchanged", row.id, row.status)
    row.status = decided
    row.provider_status = report.status
    row.status_at = report.status_at or _utcnow()
    if report.sms_count:
        row.parts = report.sms_count
    if decided is SmsStatus.FAILED:
        row.error = f"operator reported {report.status}"
    await session.flush()
    logger.info("SMS %d to %s: %s (%s)", row.id, mask_phone(row.phone), decided.value, report.status)
    return ReportOutcome("updated", row.id, decided.value)


async def poll_statuses(
    session_factory: async_sessionmaker[AsyncSession],
    client: EskizClient,
    *,
    older_than: timedelta = timedelta(minutes=10),
    limit: int = 100,
) -> int:
    """Ask ``status_by_id`` about SMS waiting longer than ``older_than`` (no callback came); returns how many
    changed."""
    cutoff = _utcnow() - older_than
    async with session_factory() as session:
        rows = list(await session.scalars(
            select(SmsMessage).where(SmsMessage.status.in_([SmsStatus.WAITING, SmsStatus.SENT]),
                                     SmsMessage.sent_at <= cutoff, SmsMessage.request_id.is_not(None))
            .order_by(SmsMessage.sent_at).limit(limit)
        ))
        changed = 0
        for row in rows:
            assert row.request_id is not None
            if row.dispatch_id is not None:
                continue  # a batch shares one request id: only its callbacks tell the messages apart
            try:
                status = await client.status(row.request_id)
            except EskizError as error:
                logger.warning("SMS %d status unknown: %s", row.id, error)
                continue
            outcome = await apply_delivery_report(session, DeliveryReport(
                request_id=row.request_id, message_id=status.id, user_sms_id=row.user_sms_id, phone=row.phone,
                status=status.status, status_at=_utcnow(), sms_count=status.parts))
            changed += outcome.result == "updated"
        await session.commit()
        return changed


async def sms_counts(session: AsyncSession, company_id: int | None = None) -> dict[str, int]:
    query = select(SmsMessage.status, func.count()).group_by(SmsMessage.status)
    if company_id is not None:
        query = query.where(SmsMessage.company_id == company_id)
    return {str(status): int(count) for status, count in (await session.execute(query)).all()}
