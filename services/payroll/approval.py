"""Payroll runs as an approvable kind, and what follows an approval: payslips through the outbox, SMS for the rest.

``submit_run`` moves a draft to pending and asks the approval engine; the engine's ``on_approve`` approves the run
(frozen from then on) and delivers the payslips in the same transaction: an employee tied to a member who has not
blocked the bot gets a private payslip (text, PDF attached, in their language) through the outbox; one with a phone
gets an SMS in their language or the company's (queued, sent by the SMS job after commit); the others are
counted. ``on_reject`` / ``on_withdraw`` send the run back to draft.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.approvals import ApprovalRequest
from db.models import Company, Employee, User
from db.payroll import PayrollLine, PayrollRun, RunKind
from services import approvals, outbox
from services.approvals import Card, Fact, Label, PolicyDefaults
from services.locale import format_money
from services.payroll import runs
from services.payroll.render import payslip_pdf, payslip_text
from services.payroll.workdays import month_text
from services.permissions import Capability
from services.reports.render import esc
from services.sms import InvalidPhoneError, queue_sms
from services.sms.locale import recipient_locale

log = logging.getLogger(__name__)

KIND = "payroll"
SMS_LIMIT = 300


@dataclass(slots=True)
class Delivery:
    telegram: list[str] = field(default_factory=list)
    sms: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)


async def submit_run(session: AsyncSession, company_id: int, run_id: int, requested_by: User, *,
                     allow_negative: bool = False) -> approvals.Submitted:
    """Draft → pending approval, and the approvers get the engine's card."""
    await runs.submit(session, company_id, run_id, actor_user_id=requested_by.id, allow_negative=allow_negative)
    run = await runs.get_run(session, company_id, run_id)
    net = Decimal(str((run.totals or {}).get("net", "0")))
    return await approvals.submit(session, kind=KIND, company_id=company_id, object_id=run_id,
                                  requested_by=requested_by, amount=net)


def _sms_text(run: PayrollRun, line: PayrollLine, company: Company, locale: str) -> str:
    text = translate(locale, "payroll-sms", company=company.name, month=month_text(run.month),
                     net=format_money(Decimal(line.net), locale))
    return text[:SMS_LIMIT]


def payslip_file_name(run: PayrollRun, line: PayrollLine) -> str:
    """``payslip_2026-11_Aziza_Karimova.pdf`` (``advance_…`` for an advance, ``_v2`` for a correction)."""
    name = "_".join(re.sub(r"[^\w\-ʻʼ']+", " ", line.name, flags=re.UNICODE).split())[:60] or f"line{line.id}"
    prefix = "advance" if run.kind == RunKind.ADVANCE else "payslip"
    version = f"_v{run.version}" if run.version > 1 else ""
    return f"{prefix}_{month_text(run.month)}_{name}{version}.pdf"


def payslip_document(run: PayrollRun, line: PayrollLine, company_name: str, locale: str) -> outbox.OutboxDocument:
    data = payslip_pdf(run, line, company_name, partial(translate, locale), locale)
    return outbox.OutboxDocument(payslip_file_name(run, line), data)


async def deliver_payslips(session: AsyncSession, run: PayrollRun) -> Delivery:
    """Queues each employee's payslip: by Telegram (the text with the PDF attached, in the person's language) to
    those who use the bot, by SMS (in the person's language, else the company's) to those with a phone."""
    company = await session.get_one(Company, run.company_id)
    delivery = Delivery()
    for line in await runs.run_lines(session, run.id):
        employee = await session.get(Employee, line.employee_id) if line.employee_id else None
        user = await session.get(User, employee.user_id) if employee is not None and employee.user_id else None
        locale = await recipient_locale(session, company, user)
        if user is not None and not user.bot_blocked:
            text = payslip_text(run, line, company.name, partial(translate, locale), locale)
            await outbox.enqueue(session, chat_id=user.telegram_id, text=esc(text), kind="payroll.payslip",
                                 company_id=run.company_id, ref_id=line.id,
                                 dedupe_key=f"payslip:{run.id}:{line.id}",
                                 document=payslip_document(run, line, company.name, locale))
            delivery.telegram.append(line.name)
            continue
        phone = (employee.phone if employee is not None else None) or (user.phone if user is not None else None)
        if phone:
            try:
                await queue_sms(session, phone, _sms_text(run, line, company, locale),
                                company_id=run.company_id, purpose="payslip", ref_id=line.id)
                delivery.sms.append(line.name)
                continue
            except (InvalidPhoneError, ValueError) as error:
                log.info("payslip SMS for line %s not queued: %s", line.id, error)
        delivery.unreachable.append(line.name)
    run.notes = {**(run.notes or {}), "delivery": {"telegram": len(delivery.telegram), "sms": len(delivery.sms),
                                                   "unreachable": delivery.unreachable}}
    await session.flush()
    return delivery


class PayrollApproval(approvals.ApprovalKind):
    name = KIND
    default_policy = PolicyDefaults(Capability.PAYROLL_APPROVE)

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> PayrollRun | None:
        run = await session.get(PayrollRun, object_id)
        return run if run is not None and run.company_id == company_id else None

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        run: PayrollRun = obj
        totals = run.totals or {}
        facts = [
            Fact("payroll-fact-month", month_text(run.month)),
            Fact("payroll-fact-version", run.version),
            Fact("payroll-fact-employees", int(totals.get("employees", 0))),
            Fact("payroll-col-gross", Decimal(str(totals.get("gross", "0")))),
            Fact("payroll-col-net", Decimal(str(totals.get("net", "0")))),
            Fact("payroll-col-social-tax", Decimal(str(totals.get("social_tax", "0")))),
        ]
        if "difference" in totals:
            facts.append(Fact("payroll-col-difference", Decimal(str(totals["difference"]))))
        return Card(Label("payroll-card-title", {"month": month_text(run.month)}), facts=tuple(facts))

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        run: PayrollRun = obj
        if await runs.approve(session, run.company_id, run.id, actor_user_id=request.decided_by_user_id,
                              allow_negative=True):
            await deliver_payslips(session, run)

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await runs.reject(session, obj.company_id, obj.id, actor_user_id=request.decided_by_user_id)


PAYROLL_KIND = approvals.register(PayrollApproval())
