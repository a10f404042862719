"""A draft becomes a purchase: Confirm (the supplier found or created by TIN, the lines stored and matched to REGOS
items, approval above the company's threshold), Discard, and the input VAT claim (paper until the e-invoice is
received). Each is one conditional UPDATE on the status, so pressing twice, or two people at once, has one effect.

    outcome = await confirm(session, membership=ctx.membership, user=user, purchase_id=7)
    outcome.purchase.status        # "confirmed", or "pending_approval" (outcome.submitted.approvers were asked)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.approvals import ApprovalRequest
from db.base import utcnow
from db.models import Branch, Company, Membership, Role, User
from db.purchases import Purchase, PurchaseLine, PurchaseStatus, Supplier, VatClaim
from db.regos_data import Item
from services import approvals, audit
from services.approvals import Card, Fact, Label, PolicyDefaults
from services.errors import DomainError, NotFound, ValidationFailed
from services.permissions import Capability, require
from services.purchases.drafts import LIVE_STATUSES, checks, items_of

KIND = "purchase"
DEFAULT_APPROVAL_ABOVE = Decimal("100000000")  # so'm; a company sets its own (settings["purchases"])
MATCH_CUTOFF = 82.0  # rapidfuzz WRatio out of 100
MAX_TOTAL = Decimal("1000000000000000")


# --- settings -----------------------------------------------------------------------------------------------------


def approval_threshold(company: Company) -> Decimal:
    raw = dict((company.settings or {}).get("purchases") or {})
    return Decimal(str(raw.get("approval_above", DEFAULT_APPROVAL_ABOVE)))


def set_approval_threshold(session: AsyncSession, membership: Membership, company: Company, amount: Decimal) -> None:
    require(membership.role, Capability.EXPENSE_SETTINGS)  # the owner's money settings
    if amount < 0:
        raise ValidationFailed("amount-not-positive")
    raw = dict((company.settings or {}).get("purchases") or {})
    raw["approval_above"] = f"{amount:f}"
    company.settings = {**(company.settings or {}), "purchases": raw}
    audit.record(session, "purchase.threshold", company_id=company.id, user_id=membership.user_id,
                 approval_above=f"{amount:f}")


# --- loading ------------------------------------------------------------------------------------------------------


async def purchase_of(session: AsyncSession, company_id: int, purchase_id: int) -> Purchase:
    """A purchase of this company (a forged id of another company's is not found)."""
    purchase = await session.get(Purchase, purchase_id)
    if purchase is None or purchase.company_id != company_id:
        raise NotFound("invoice-not-found")
    return purchase


async def duplicate_of_document(session: AsyncSession, purchase: Purchase) -> Purchase | None:
    """Another live purchase with the same supplier TIN, number and date (a second photo of the same paper)."""
    tin = (purchase.draft or {}).get("supplier_tin")
    if not tin or not purchase.document_number or purchase.document_date is None:
        return None
    same = await session.scalars(
        select(Purchase).join(Supplier, Supplier.id == Purchase.supplier_id)
        .where(Purchase.company_id == purchase.company_id, Purchase.id != purchase.id,
               Purchase.status.in_([PurchaseStatus.CONFIRMED, PurchaseStatus.PENDING_APPROVAL]),
               Supplier.tin == tin, Purchase.document_date == purchase.document_date))
    number = _normal_number(purchase.document_number)
    for other in same:
        if _normal_number(other.document_number or "") == number:
            return other
    return None


def _normal_number(number: str) -> str:
    return re.sub(r"[\s№#N°.\-/]", "", number.upper())


# --- suppliers, items ---------------------------------------------------------------------------------------------


async def supplier_for(session: AsyncSession, company_id: int, tin: str | None, name: str | None
                       ) -> tuple[Supplier, bool]:
    """The supplier with this TIN (or, without a TIN, this exact name), created when new. (supplier, created)"""
    name = (name or "").strip() or (tin or "?")
    if tin:
        found = await session.scalar(select(Supplier).where(Supplier.company_id == company_id, Supplier.tin == tin))
    else:
        found = await session.scalar(select(Supplier).where(Supplier.company_id == company_id,
                                                            Supplier.tin.is_(None), Supplier.name == name))
    if found is not None:
        return found, False
    supplier = Supplier(company_id=company_id, tin=tin or None, name=name[:256])
    session.add(supplier)
    await session.flush()
    return supplier, True


def normal_name(text: str) -> str:
    return " ".join(re.sub(r"[^\w%]+", " ", text.lower().replace("ʻ", "'")).split())


async def match_items(session: AsyncSession, company_id: int, names: list[str]) -> list[tuple[int | None, float]]:
    """For each line name, the REGOS item it most likely is (rapidfuzz WRatio over normalised names), or None."""
    items = (await session.execute(select(Item.id, Item.name).where(Item.company_id == company_id,
                                                                    Item.deleted.is_(False)))).all()
    choices = {item_id: normal_name(name) for item_id, name in items}
    out: list[tuple[int | None, float]] = []
    for name in names:
        found = process.extractOne(normal_name(name), choices, scorer=fuzz.WRatio,
                                   score_cutoff=MATCH_CUTOFF) if choices and name.strip() else None
        out.append((int(found[2]), round(float(found[1]), 1)) if found else (None, 0.0))
    return out


# --- Confirm, Discard ---------------------------------------------------------------------------------------------


@dataclass
class ConfirmOutcome:
    purchase: Purchase
    supplier: Supplier
    supplier_created: bool
    matched: list[PurchaseLine] = field(default_factory=list)
    unmatched: list[PurchaseLine] = field(default_factory=list)
    approvers: list[User] = field(default_factory=list)
    request: ApprovalRequest | None = None


async def _move(session: AsyncSession, purchase: Purchase, to: PurchaseStatus,
                frm: tuple[PurchaseStatus, ...] = (PurchaseStatus.DRAFT,), **values: Any) -> None:
    """The one conditional UPDATE a state change is: a second press finds the status moved and changes nothing."""
    result = await session.execute(
        update(Purchase).where(Purchase.id == purchase.id, Purchase.status.in_(frm))
        .values(status=to, **values).execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != 1:
        await session.refresh(purchase)
        raise DomainError("invoice-already-decided", id=purchase.id, status=purchase.status)
    await session.refresh(purchase)


def _check_ready(purchase: Purchase) -> None:
    if purchase.status != PurchaseStatus.DRAFT:
        raise DomainError("invoice-already-decided", id=purchase.id, status=purchase.status)
    if purchase.total is None or purchase.total <= 0 or purchase.total >= MAX_TOTAL:
        raise ValidationFailed("invoice-confirm-needs-total")
    if purchase.document_date is None:
        raise ValidationFailed("invoice-confirm-needs-date")
    draft = purchase.draft or {}
    if not draft.get("supplier") and not draft.get("supplier_tin"):
        raise ValidationFailed("invoice-confirm-needs-supplier")


async def confirm(session: AsyncSession, *, membership: Membership, user: User, purchase_id: int) -> ConfirmOutcome:
    require(membership.role, Capability.INVOICE_SUBMIT)
    purchase = await purchase_of(session, membership.company_id, purchase_id)
    _check_ready(purchase)
    duplicate = await duplicate_of_document(session, purchase)
    if duplicate is not None:
        raise DomainError("invoice-duplicate-document", id=duplicate.id, number=duplicate.document_number or "",
                          day=duplicate.document_date)
    company = await session.get_one(Company, purchase.company_id)
    draft = purchase.draft or {}
    supplier, created = await supplier_for(session, company.id, draft.get("supplier_tin"), draft.get("supplier"))
    needs_approval = purchase.total is not None and purchase.total > approval_threshold(company)
    status = PurchaseStatus.PENDING_APPROVAL if needs_approval else PurchaseStatus.CONFIRMED
    if purchase.vat_amount is None and purchase.total is not None and purchase.total_without_vat is not None:
        purchase.vat_amount = purchase.total - purchase.total_without_vat
    await session.flush()
    await _move(session, purchase, status, supplier_id=supplier.id, confirmed_by_user_id=user.id,
                confirmed_at=utcnow(), decided_at=None if needs_approval else utcnow())
    lines = items_of(purchase)
    matches = await match_items(session, company.id, [str(item.get("name") or "") for item in lines])
    outcome = ConfirmOutcome(purchase, supplier, created)
    for number, (item, (item_id, score)) in enumerate(zip(lines, matches, strict=True), start=1):
        line = PurchaseLine(
            purchase_id=purchase.id, line_no=number, name=str(item.get("name") or "—")[:256],
            unit=(str(item["unit"])[:32] if item.get("unit") else None), item_id=item_id,
            match_score=Decimal(str(score)) if item_id else None, quantity=item["quantity"],
            unit_price=item["unit_price"], amount=item["amount"], vat_rate=item["vat_rate"],
            vat_amount=item["vat_amount"], amount_with_vat=item["amount_with_vat"])
        session.add(line)
        (outcome.matched if item_id else outcome.unmatched).append(line)
    await session.flush()
    audit.record(session, "purchase.confirmed", company_id=company.id, user_id=user.id, purchase_id=purchase.id,
                 supplier_id=supplier.id, total=f"{purchase.total:f}", vat_claim=purchase.vat_claim,
                 status=status.value, flags=checks(purchase))
    if needs_approval:
        submitted = await approvals.submit(session, kind=KIND, company_id=company.id, object_id=purchase.id,
                                           requested_by=user, amount=purchase.total, branch_id=purchase.branch_id)
        purchase.approval_request_id = submitted.request.id
        outcome.approvers, outcome.request = submitted.approvers, submitted.request
    return outcome


async def discard(session: AsyncSession, *, membership: Membership, user: User, purchase_id: int) -> Purchase:
    require(membership.role, Capability.INVOICE_SUBMIT)
    purchase = await purchase_of(session, membership.company_id, purchase_id)
    await _move(session, purchase, PurchaseStatus.DISCARDED, decided_at=utcnow())
    audit.record(session, "purchase.discarded", company_id=purchase.company_id, user_id=user.id,
                 purchase_id=purchase.id)
    return purchase


async def set_vat_claim(session: AsyncSession, *, membership: Membership, user: User, purchase_id: int,
                        e_invoice: bool) -> Purchase:
    """Marks the input VAT as on an accepted e-invoice (creditable) or back to a paper claim. On a draft the
    sender may; once recorded, those who review invoices (owner, accountant)."""
    purchase = await purchase_of(session, membership.company_id, purchase_id)
    if purchase.status == PurchaseStatus.DRAFT:
        require(membership.role, Capability.INVOICE_SUBMIT)
    elif purchase.status in LIVE_STATUSES:
        require(membership.role, Capability.INVOICE_REVIEW)
    else:
        raise DomainError("invoice-already-decided", id=purchase.id, status=purchase.status)
    if purchase.vat_claim == VatClaim.NONE:
        raise ValidationFailed("invoice-no-vat-to-claim")
    target = VatClaim.E_INVOICE if e_invoice else VatClaim.PAPER
    if purchase.vat_claim != target:
        purchase.vat_claim = target
        purchase.e_invoice_at = utcnow() if e_invoice else None
        audit.record(session, "purchase.vat_claim", company_id=purchase.company_id, user_id=user.id,
                     purchase_id=purchase.id, vat_claim=target.value)
    return purchase


# --- the approvable kind ------------------------------------------------------------------------------------------


class PurchaseApproval(approvals.ApprovalKind):
    name = KIND
    default_policy = PolicyDefaults(Capability.APPROVE, limits={Role.MANAGER: DEFAULT_APPROVAL_ABOVE * 5})

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> Purchase | None:
        purchase = await session.get(Purchase, object_id)
        return purchase if purchase is not None and purchase.company_id == company_id else None

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        purchase: Purchase = obj
        supplier = await session.get(Supplier, purchase.supplier_id) if purchase.supplier_id else None
        branch = await session.get(Branch, purchase.branch_id) if purchase.branch_id else None
        return Card(
            Label("invoice-approval-title", {"id": purchase.id}),
            facts=(
                Fact("invoice-fact-supplier", supplier.name if supplier else None),
                Fact("invoice-fact-tin", supplier.tin if supplier else None),
                Fact("invoice-fact-number", purchase.document_number),
                Fact("invoice-fact-date", purchase.document_date),
                Fact("invoice-fact-total", purchase.total),
                Fact("invoice-fact-vat", purchase.vat_amount),
                Fact("invoice-fact-vat-claim", Label(f"invoice-claim-{purchase.vat_claim}")),
                Fact("invoice-fact-branch", branch.name if branch else None),
            ),
        )

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _move(session, obj, PurchaseStatus.CONFIRMED, frm=(PurchaseStatus.PENDING_APPROVAL,),
                    decided_at=utcnow())

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        await _move(session, obj, PurchaseStatus.DISCARDED, frm=(PurchaseStatus.PENDING_APPROVAL,),
                    decided_at=utcnow())


PURCHASE_KIND = approvals.register(PurchaseApproval())


__all__ = [
    "DEFAULT_APPROVAL_ABOVE",
    "KIND",
    "PURCHASE_KIND",
    "ConfirmOutcome",
    "approval_threshold",
    "confirm",
    "discard",
    "duplicate_of_document",
    "match_items",
    "purchase_of",
    "set_approval_threshold",
    "set_vat_claim",
    "supplier_for",
]
