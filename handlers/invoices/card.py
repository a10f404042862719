"""How a purchase reads in a chat: the draft card (fields, low-confidence ones marked, lines, totals, the VAT claim,
what does not add up), its buttons, the Edit keyboard, and the message after Confirm. Pure functions of a locale,
so the background reader (through the outbox) and the handlers render the same card."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aiogram.types import InlineKeyboardMarkup

from core.i18n import translate
from db.purchases import Purchase, PurchaseStatus, Supplier, VatClaim
from handlers.callbacks import InvoiceAction, InvoiceCb
from services.locale import format_date, format_money, format_number
from services.purchases import ConfirmOutcome, EditField, checks, items_of, low_confidence, value_of
from services.reports.render import esc

MAX_LINES_SHOWN = 25
MAX_UNMATCHED_SHOWN = 10
WARN = "⚠️"


def money(value: Decimal | None, locale: str) -> str:
    if value is None:
        return "—"
    return format_money(value, locale, with_tiyin=value != value.to_integral_value())


def _quantity(value: Decimal | None, locale: str) -> str:
    if value is None:
        return "?"
    places = 0 if value == value.to_integral_value() else 3
    text = format_number(value, locale, places)
    return text.rstrip("0").rstrip(",.") if places else text


def _field_text(purchase: Purchase, which: EditField, locale: str) -> str:
    value = value_of(purchase, which)
    if value is None:
        return "—"
    if which is EditField.DATE:
        return format_date(value, locale)
    if which in (EditField.NET, EditField.VAT, EditField.TOTAL):
        return money(value, locale)
    return esc(value)


def card_text(locale: str, purchase: Purchase, *, duplicate: Purchase | None = None, unread_parts: int = 0) -> str:
    t = translate
    doubtful = low_confidence(purchase)
    draft = purchase.draft or {}
    lines = [t(locale, "invoice-card-title", id=purchase.id), ""]
    for which in (EditField.SUPPLIER, EditField.TIN, EditField.NUMBER, EditField.DATE):
        mark = f" {WARN}" if which in doubtful else ""
        label = t(locale, f"invoice-field-{which.value}")
        lines.append(f"{label}: <b>{_field_text(purchase, which, locale)}</b>{mark}")
    items = items_of(purchase)
    lines.append("")
    lines.append(t(locale, "invoice-card-lines", count=len(items)))
    for number, item in enumerate(items[:MAX_LINES_SHOWN], start=1):
        name = esc(str(item.get("name") or "—"))[:80]
        lines.append(f"{number}. {name} — {_quantity(item['quantity'], locale)} × {money(item['unit_price'], locale)}"
                     f" = {money(item['amount'], locale)}")
    if len(items) > MAX_LINES_SHOWN:
        lines.append(t(locale, "invoice-card-more-lines", count=len(items) - MAX_LINES_SHOWN))
    lines.append("")
    for which in (EditField.NET, EditField.VAT, EditField.TOTAL):
        mark = f" {WARN}" if which in doubtful else ""
        label = t(locale, f"invoice-field-{which.value}")
        if which is EditField.VAT and purchase.vat_rate is not None:
            label += f" ({format_number(purchase.vat_rate, locale)}%)"
        lines.append(f"{label}: <b>{_field_text(purchase, which, locale)}</b>{mark}")
    lines.append(t(locale, f"invoice-claim-line-{purchase.vat_claim}"))
    flags = checks(purchase)
    if flags or doubtful or duplicate is not None or unread_parts:
        lines.append("")
    if duplicate is not None:
        lines.append(f"{WARN} " + t(locale, "invoice-card-duplicate", id=duplicate.id))
    for flag in flags:
        lines.append(f"{WARN} " + t(locale, f"invoice-flag-{flag.replace('_', '-')}"))
    if unread_parts:
        lines.append(f"{WARN} " + t(locale, "invoice-card-unread-parts", count=unread_parts))
    if doubtful:
        lines.append(t(locale, "invoice-card-check-marked"))
    if draft.get("pages", 0) > 1:
        lines.append(t(locale, "invoice-card-pages", count=draft["pages"]))
    lines.append("")
    lines.append(t(locale, "invoice-card-hint"))
    return "\n".join(lines)


def _button(locale: str, key: str, company_id: int, purchase_id: int, action: InvoiceAction,
            field: EditField | None = None) -> dict[str, str]:
    return {"text": translate(locale, key),
            "callback_data": InvoiceCb(company=company_id, action=action, purchase=purchase_id, field=field).pack()}


def card_keyboard(locale: str, purchase: Purchase) -> dict[str, Any]:
    """Plain Bot API JSON (the outbox queues it as is)."""
    c, p = purchase.company_id, purchase.id
    rows = [[_button(locale, "btn-invoice-confirm", c, p, InvoiceAction.CONFIRM),
             _button(locale, "btn-invoice-edit", c, p, InvoiceAction.EDIT),
             _button(locale, "btn-invoice-discard", c, p, InvoiceAction.DISCARD)]]
    if purchase.vat_claim == VatClaim.PAPER:
        rows.append([_button(locale, "btn-invoice-e-invoice", c, p, InvoiceAction.E_INVOICE)])
    elif purchase.vat_claim == VatClaim.E_INVOICE:
        rows.append([_button(locale, "btn-invoice-paper", c, p, InvoiceAction.PAPER)])
    return {"inline_keyboard": rows}


def edit_keyboard(locale: str, purchase: Purchase) -> dict[str, Any]:
    c, p = purchase.company_id, purchase.id
    buttons = [_button(locale, f"invoice-field-{which.value}", c, p, InvoiceAction.FIELD, which) for which in EditField]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(locale, "btn-invoice-back", c, p, InvoiceAction.BACK)])
    return {"inline_keyboard": rows}


def markup(keyboard: dict[str, Any]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup.model_validate(keyboard)


def recorded_keyboard(locale: str, purchase: Purchase) -> dict[str, Any] | None:
    if purchase.vat_claim == VatClaim.PAPER and purchase.status != PurchaseStatus.DISCARDED:
        return {"inline_keyboard": [[_button(locale, "btn-invoice-e-invoice", purchase.company_id, purchase.id,
                                             InvoiceAction.E_INVOICE)]]}
    return None


def recorded_text(locale: str, purchase: Purchase, supplier: Supplier | None, *, line_count: int,
                  matched: int, unmatched: list[str], supplier_created: bool = False,
                  approvers: str | None = None) -> str:
    t = translate
    key = "invoice-pending" if purchase.status == PurchaseStatus.PENDING_APPROVAL else "invoice-recorded"
    lines = [t(locale, key, id=purchase.id, total=money(purchase.total, locale))]
    name = esc(supplier.name) if supplier else "—"
    tin = supplier.tin if supplier and supplier.tin else "—"
    lines.append(t(locale, "invoice-recorded-supplier-new" if supplier_created else "invoice-recorded-supplier",
                   name=name, tin=tin))
    lines.append(t(locale, "invoice-recorded-lines", count=line_count, matched=matched))
    if unmatched:
        shown = ", ".join(esc(name)[:60] for name in unmatched[:MAX_UNMATCHED_SHOWN])
        more = len(unmatched) - MAX_UNMATCHED_SHOWN
        lines.append(t(locale, "invoice-recorded-unmatched", names=shown, more=max(0, more)))
    lines.append(t(locale, f"invoice-recorded-vat-{purchase.vat_claim}", vat=money(purchase.vat_amount, locale)))
    if approvers is not None:
        lines.append(t(locale, "invoice-sent-for-approval", names=esc(approvers)))
    return "\n".join(lines)


def outcome_text(locale: str, outcome: ConfirmOutcome, approvers: str | None) -> str:
    return recorded_text(locale, outcome.purchase, outcome.supplier,
                         line_count=len(outcome.matched) + len(outcome.unmatched), matched=len(outcome.matched),
                         unmatched=[line.name for line in outcome.unmatched],
                         supplier_created=outcome.supplier_created, approvers=approvers)


__all__ = ["card_keyboard", "card_text", "edit_keyboard", "markup", "money", "outcome_text", "recorded_keyboard",
           "recorded_text"]
