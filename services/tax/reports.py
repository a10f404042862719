"""Tax reports with a status: draft → (approval engine) → ready → (approval engine) → filed.

A draft is recomputed whenever it is opened; submitting it asks the approval engine (kind ``tax_report``, decided by
those with ``tax.approve``), which makes it ``ready`` — its figures are frozen from then on. When the accountant
reports the documents uploaded to my.soliq.uz (no public filing API exists) — or the configured submission endpoint
accepted them — the report is ``filing`` and the engine asks again (kind ``tax_filing``, same capability): approved,
it is ``filed``; rejected, back to ``ready``. Every change writes the audit log.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.approvals import ApprovalRequest
from db.base import utcnow
from db.models import Company, User
from db.tax import TaxReport, TaxReportStatus
from services import approvals, audit
from services.approvals import Card, Fact, Label, PolicyDefaults
from services.errors import DomainError
from services.permissions import Capability
from services.tax.compute import compute_month
from services.tax.periods import parse_period, period_text

KIND = "tax_report"
FILING_KIND = "tax_filing"


class ReportNotFound(DomainError):
    key = "tax-error-not-found"


class ReportFrozen(DomainError):
    key = "tax-error-frozen"


class ReportIncomplete(DomainError):
    key = "tax-error-incomplete"


def missing_taxes(figures: dict[str, Any]) -> list[str]:
    """The taxes of a report that have no figure (their data is missing)."""
    return [name for name, tax in (figures.get("taxes") or {}).items() if tax.get("status") != "ok"]


async def get_report(session: AsyncSession, company_id: int, report_id: int) -> TaxReport:
    report = await session.get(TaxReport, report_id)
    if report is None or report.company_id != company_id:
        raise ReportNotFound()
    return report


async def find_report(session: AsyncSession, company_id: int, month: date) -> TaxReport | None:
    return await session.scalar(select(TaxReport).where(TaxReport.company_id == company_id,
                                                        TaxReport.period == period_text(month)))


def _apply(report: TaxReport, figures: dict[str, Any]) -> None:
    report.figures = figures
    report.vat_carry_forward = Decimal(str(figures.get("vat_carry_forward", "0")))
    report.computed_at = utcnow()


async def open_report(session: AsyncSession, company: Company, month: date, today: date, *,
                      actor_user_id: int | None = None) -> TaxReport:
    """The month's report: computed now when it is new or still a draft; as it stands once submitted."""
    report = await find_report(session, company.id, month)
    if report is not None and report.status != TaxReportStatus.DRAFT:
        return report
    figures = await compute_month(session, company, month, today)
    if report is None:
        report = TaxReport(company_id=company.id, period=period_text(month), month=month, version=1,
                           status=TaxReportStatus.DRAFT)
        _apply(report, figures)
        session.add(report)
        await session.flush()
        audit.record(session, "tax.report.created", company_id=company.id, user_id=actor_user_id,
                     report_id=report.id, period=report.period)
    else:
        _apply(report, figures)
        report.version += 1
        await session.flush()
    return report


async def recompute(session: AsyncSession, company: Company, report_id: int, today: date, *,
                    actor_user_id: int | None = None) -> TaxReport:
    report = await get_report(session, company.id, report_id)
    if report.status != TaxReportStatus.DRAFT:
        raise ReportFrozen(status=report.status)
    return await open_report(session, company, report.month, today, actor_user_id=actor_user_id)


async def submit_report(session: AsyncSession, company_id: int, report_id: int, requested_by: User
                        ) -> approvals.Submitted | None:
    """Draft → pending, and the approvers get the engine's card. A report with a tax lacking its data cannot be
    submitted. Pressing twice submits once (None the second time)."""
    report = await get_report(session, company_id, report_id)
    if report.status != TaxReportStatus.DRAFT:
        return None
    lacking = missing_taxes(report.figures or {})
    if lacking:
        raise ReportIncomplete(taxes=", ".join(lacking))
    changed = await session.execute(
        update(TaxReport).where(TaxReport.id == report.id, TaxReport.status == TaxReportStatus.DRAFT)
        .values(status=TaxReportStatus.PENDING).execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        return None
    await session.refresh(report)
    audit.record(session, "tax.report.submitted", company_id=company_id, user_id=requested_by.id,
                 report_id=report.id, period=report.period)
    submitted = await approvals.submit(session, kind=KIND, company_id=company_id, object_id=report.id,
                                       requested_by=requested_by,
                                       amount=Decimal(str((report.figures or {}).get("total_due", "0"))))
    report.approval_request_id = submitted.request.id
    await session.flush()
    return submitted


async def mark_uploaded(session: AsyncSession, company_id: int, report_id: int, requested_by: User, *,
                        submission_ref: str | None = None) -> approvals.Submitted | None:
    """Ready → filing: the accountant uploaded it to my.soliq.uz (or the endpoint accepted it, `submission_ref`),
    and the approvers get the engine's card to confirm the filing. None when it is already filing or filed
    (pressed twice); a report not ready yet is refused."""
    report = await get_report(session, company_id, report_id)
    if report.status in (TaxReportStatus.FILING, TaxReportStatus.FILED):
        return None
    if report.status != TaxReportStatus.READY:
        raise ReportFrozen(status=report.status)
    changed = await session.execute(
        update(TaxReport).where(TaxReport.id == report.id, TaxReport.status == TaxReportStatus.READY)
        .values(status=TaxReportStatus.FILING, filed_by_user_id=requested_by.id, submission_ref=submission_ref)
        .execution_options(synchronize_session=False)
    )
    if not getattr(changed, "rowcount", 0):
        return None
    await session.refresh(report)
    audit.record(session, "tax.report.uploaded", company_id=company_id, user_id=requested_by.id,
                 report_id=report.id, period=report.period, submission_ref=submission_ref)
    submitted = await approvals.submit(session, kind=FILING_KIND, company_id=company_id, object_id=report.id,
                                       requested_by=requested_by,
                                       amount=Decimal(str((report.figures or {}).get("total_due", "0"))))
    report.approval_request_id = submitted.request.id
    await session.flush()
    return submitted


async def _set_status(session: AsyncSession, report: TaxReport, source: str, target: str,
                      actor_user_id: int | None, action: str) -> bool:
    values: dict[str, Any] = {"status": target}
    if target == TaxReportStatus.READY and source == TaxReportStatus.PENDING:
        values["ready_at"] = utcnow()
    elif source == TaxReportStatus.PENDING:
        values["ready_at"] = None
    if target == TaxReportStatus.FILED:
        values["filed_at"] = utcnow()
    changed = await session.execute(
        update(TaxReport).where(TaxReport.id == report.id, TaxReport.status == source)
        .values(**values).execution_options(synchronize_session=False)
    )
    await session.refresh(report)
    if getattr(changed, "rowcount", 0):
        audit.record(session, action, company_id=report.company_id, user_id=actor_user_id, report_id=report.id,
                     period=report.period)
        return True
    return False


class TaxReportApproval(approvals.ApprovalKind):
    name = KIND
    default_policy = PolicyDefaults(Capability.TAX_APPROVE)

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> TaxReport | None:
        report = await session.get(TaxReport, object_id)
        return report if report is not None and report.company_id == company_id else None

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        report: TaxReport = obj
        figures = report.figures or {}
        facts = [Fact("tax-fact-period", report.period),
                 Fact("tax-fact-regime", Label(f"tax-regime-{figures.get('regime', 'mixed')}"))]
        for name, tax in (figures.get("taxes") or {}).items():
            if tax.get("amount") is not None:
                facts.append(Fact(f"tax-name-{name}", Decimal(str(tax["amount"]))))
        facts.append(Fact("tax-fact-total", Decimal(str(figures.get("total_due", "0")))))
        return Card(Label("tax-approval-title", {"period": report.period}), facts=tuple(facts))

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _set_status(session, obj, TaxReportStatus.PENDING, TaxReportStatus.READY,
                          request.decided_by_user_id, "tax.report.ready")

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _set_status(session, obj, TaxReportStatus.PENDING, TaxReportStatus.DRAFT,
                          request.decided_by_user_id, "tax.report.returned")


class TaxFilingApproval(TaxReportApproval):
    """Confirming that a ready report was uploaded to my.soliq.uz (or accepted by the submission endpoint)."""

    name = FILING_KIND

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        report: TaxReport = obj
        card = await super().card(session, obj)
        facts = card.facts
        if report.submission_ref:
            facts = (*facts, Fact("tax-fact-submission", report.submission_ref))
        return Card(Label("tax-filing-title", {"period": report.period}), facts=facts)

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _set_status(session, obj, TaxReportStatus.FILING, TaxReportStatus.FILED,
                          request.decided_by_user_id, "tax.report.filed")

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _set_status(session, obj, TaxReportStatus.FILING, TaxReportStatus.READY,
                          request.decided_by_user_id, "tax.report.filing_returned")


TAX_REPORT_KIND = approvals.register(TaxReportApproval())
TAX_FILING_KIND = approvals.register(TaxFilingApproval())

__all__ = ["FILING_KIND", "KIND", "ReportFrozen", "ReportIncomplete", "ReportNotFound", "find_report", "get_report",
           "mark_uploaded", "missing_taxes", "open_report", "parse_period", "recompute", "submit_report"]
