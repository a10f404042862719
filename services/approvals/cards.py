"""Cards: a request rendered in one person's language, its buttons, and the messages that follow a decision.

Every message goes through the outbox, in the transaction that caused it: the cards when a request is made (and
reminders, escalations), then on a decision an edit of every card shown for it (so nobody acts on a stale one)
and a note to the requester. Buttons carry only short integer ids; `button_data` packs them exactly as
`handlers.callbacks.ApprovalCb` does (tests/test_approvals_engine.py checks that the two agree).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.approvals import ApprovalCard, ApprovalRequest, ApprovalStatus, CardPurpose
from db.models import Company, User
from services import outbox
from services.approvals.kinds import Card, Label, get_kind
from services.locale import DEFAULT_LOCALE, format_date, format_datetime, format_money
from services.reports.render import esc

CALLBACK_PREFIX = "ap"


class ApprovalAction(StrEnum):
    APPROVE = "ok"
    REJECT = "no"
    OPEN = "open"
    ATTACHMENT = "file"
    WITHDRAW = "back"


def button_data(company_id: int, action: ApprovalAction, request_id: int) -> str:
    """The callback data of a card's button, as `ApprovalCb(company=…, action=…, request=…).pack()` makes it."""
    return f"{CALLBACK_PREFIX}:{company_id}:{action.value}:{request_id}"


def locale_of(user: User | None) -> str:
    return (user.language if user is not None else None) or DEFAULT_LOCALE


def display_name(user: User | None) -> str:
    if user is None:
        return "—"
    return user.first_name or (f"@{user.username}" if user.username else str(user.telegram_id))


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    markup: dict[str, Any] | None


def _value(value: Any, locale: str, zone: ZoneInfo) -> str:
    if isinstance(value, Label):
        return translate(locale, value.key, **dict(value.params))
    if isinstance(value, Decimal):
        return format_money(value, locale, with_tiyin=value != value.to_integral_value())
    if isinstance(value, datetime):
        return format_datetime(value.astimezone(zone), locale)
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, int):
        return str(value)
    return esc(value)


def card_title(card: Card, locale: str) -> str:
    """A card's title in one language (lists, questions)."""
    return translate(locale, card.title.key, **dict(card.title.params))


def _zone(company: Company) -> ZoneInfo:
    return ZoneInfo(company.timezone or "Asia/Tashkent")


def status_line(request: ApprovalRequest, decider: User | None, locale: str, zone: ZoneInfo) -> str:
    if request.status == ApprovalStatus.PENDING:
        return translate(locale, "approval-status-pending")
    when = format_datetime(request.decided_at.astimezone(zone), locale) if request.decided_at else ""
    params: dict[str, Any] = {"name": esc(display_name(decider)), "when": when}
    if request.status == ApprovalStatus.REJECTED:
        return translate(locale, "approval-status-rejected", reason=esc(request.reason or ""), **params)
    return translate(locale, f"approval-status-{request.status}", **params)


def render_card(card: Card, request: ApprovalRequest, *, company: Company, requester: User | None,
                decider: User | None, locale: str, header: str | None = None, buttons: bool = True) -> Rendered:
    zone = _zone(company)
    lines = [header, ""] if header else []
    lines.append(f"<b>{_value(card.title, locale, zone)}</b>")
    for fact in card.facts:
        if fact.value is None or fact.value == "":
            continue
        lines.append(f"{translate(locale, fact.label)}: {_value(fact.value, locale, zone)}")
    lines.append(translate(locale, "approval-card-asked", name=esc(display_name(requester)),
                           when=format_datetime(request.created_at.astimezone(zone), locale)))
    lines += ["", status_line(request, decider, locale, zone)]
    rows: list[list[dict[str, str]]] = []
    if buttons and request.status == ApprovalStatus.PENDING:
        rows.append([
            {"text": translate(locale, "btn-approval-approve"),
             "callback_data": button_data(company.id, ApprovalAction.APPROVE, request.id)},
            {"text": translate(locale, "btn-approval-reject"),
             "callback_data": button_data(company.id, ApprovalAction.REJECT, request.id)},
        ])
    if card.attachment is not None:
        rows.append([{"text": translate(locale, "btn-approval-attachment"),
                      "callback_data": button_data(company.id, ApprovalAction.ATTACHMENT, request.id)}])
    return Rendered("\n".join(lines), {"inline_keyboard": rows} if rows else None)


async def card_of(session: AsyncSession, request: ApprovalRequest) -> Card:
    kind = get_kind(request.kind)
    obj = await kind.load(session, request.company_id, request.object_id)
    if obj is None:
        return Card(Label("approval-card-gone", {"id": request.id}))
    return await kind.card(session, obj)


async def render_for(session: AsyncSession, request: ApprovalRequest, user: User | None, *,
                     header: str | None = None, buttons: bool = True) -> Rendered:
    """The request as `user` reads it now (their language, the company's zone)."""
    company = await session.get_one(Company, request.company_id)
    requester = await session.get(User, request.requested_by_user_id) if request.requested_by_user_id else None
    decider = await session.get(User, request.decided_by_user_id) if request.decided_by_user_id else None
    return render_card(await card_of(session, request), request, company=company, requester=requester,
                       decider=decider, locale=locale_of(user), header=header, buttons=buttons)


def card_key(request_id: int, purpose: CardPurpose, user_id: int) -> str:
    return f"approval:{request_id}:{purpose.value}:{user_id}"


async def queue_cards(session: AsyncSession, request: ApprovalRequest, recipients: list[User],
                      purpose: CardPurpose = CardPurpose.CARD, *, hours_waiting: int = 0) -> list[User]:
    """A card for each recipient (once per request, purpose and person); returns those queued now."""
    queued: list[User] = []
    for user in recipients:
        key = card_key(request.id, purpose, user.id)
        header = None
        if purpose is not CardPurpose.CARD:
            header = translate(locale_of(user), f"approval-header-{purpose.value}", hours=hours_waiting)
        rendered = await render_for(session, request, user, header=header)
        ids = await outbox.enqueue(session, chat_id=user.telegram_id, text=rendered.text,
                                   kind=f"approval.{purpose.value}", company_id=request.company_id,
                                   reply_markup=rendered.markup, dedupe_key=key, ref_id=request.id)
        if ids:
            session.add(ApprovalCard(request_id=request.id, user_id=user.id, chat_id=user.telegram_id,
                                     purpose=purpose, dedupe_key=key))
            queued.append(user)
    await session.flush()
    return queued


async def queue_outcome(session: AsyncSession, request: ApprovalRequest) -> None:
    """After a decision or a withdrawal: every card shown for the request is edited to the outcome (a card not
    yet delivered gets the outcome as a message of its own), and the requester is told."""
    cards = (await session.scalars(
        select(ApprovalCard).where(ApprovalCard.request_id == request.id).order_by(ApprovalCard.id))).all()
    for card in cards:
        user = await session.get(User, card.user_id)
        rendered = await render_for(session, request, user)
        shown = await outbox.message_id_of(session, card.dedupe_key)
        await outbox.enqueue(session, chat_id=card.chat_id, text=rendered.text, kind="approval.outcome",
                             company_id=request.company_id, reply_markup=rendered.markup, edit=shown,
                             dedupe_key=f"{card.dedupe_key}:{request.status}", ref_id=request.id)
    if (request.status == ApprovalStatus.WITHDRAWN or request.requested_by_user_id is None
            or request.requested_by_user_id == request.decided_by_user_id):
        return  # nobody to tell: they withdrew it, or decided it themselves
    requester = await session.get(User, request.requested_by_user_id)
    if requester is None or requester.bot_blocked:
        return
    locale = locale_of(requester)
    company = await session.get_one(Company, request.company_id)
    shown_card = await card_of(session, request)
    decider = await session.get(User, request.decided_by_user_id) if request.decided_by_user_id else None
    text = translate(locale, f"approval-told-{request.status}",
                     title=_value(shown_card.title, locale, _zone(company)),
                     name=esc(display_name(decider)), reason=esc(request.reason or ""))
    await outbox.enqueue(session, chat_id=requester.telegram_id, text=text, kind="approval.told",
                         company_id=request.company_id, dedupe_key=f"approval:{request.id}:told",
                         ref_id=request.id)


__all__ = [
    "CALLBACK_PREFIX",
    "ApprovalAction",
    "Rendered",
    "button_data",
    "card_key",
    "card_of",
    "card_title",
    "display_name",
    "locale_of",
    "queue_cards",
    "queue_outcome",
    "render_card",
    "render_for",
    "status_line",
]
