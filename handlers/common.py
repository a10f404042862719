"""Shared pieces of the handlers: the command registry and main menu (both read the permission table), text helpers."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import KeyboardButton, ReplyKeyboardMarkup
from aiogram_i18n import I18nContext

from db.models import Membership, Role
from services.permissions import Capability, can
from services.reports.render import esc  # one HTML escape for everything users or REGOS typed

__all__ = ["COMMANDS", "BotCommandSpec", "branches_text", "commands_for", "esc", "main_menu", "role_name"]


@dataclass(frozen=True, slots=True)
class BotCommandSpec:
    name: str
    description_key: str
    capability: Capability | None  # who sees it in /help; None: everyone, also users without a company


COMMANDS: tuple[BotCommandSpec, ...] = (
    BotCommandSpec("start", "cmd-start", None),
    BotCommandSpec("help", "cmd-help", None),
    BotCommandSpec("today", "cmd-today", Capability.REPORTS_READ),
    BotCommandSpec("sales", "cmd-sales", Capability.REPORTS_READ),
    BotCommandSpec("mysales", "cmd-mysales", Capability.OWN_SALES_READ),
    BotCommandSpec("ask", "cmd-ask", Capability.AI_ASK),
    BotCommandSpec("forecast", "cmd-forecast", Capability.AI_ASK),
    BotCommandSpec("advice", "cmd-advice", Capability.AI_ASK),
    BotCommandSpec("payroll", "cmd-payroll", Capability.PAYROLL_PREPARE),
    BotCommandSpec("payslips", "cmd-payslips", Capability.OWN_SALES_READ),
    BotCommandSpec("tax", "cmd-tax", Capability.TAX_PREPARE),
    BotCommandSpec("expense", "cmd-expense", Capability.EXPENSE_SUBMIT),
    BotCommandSpec("expenses", "cmd-expenses", Capability.EXPENSE_SUBMIT),
    BotCommandSpec("invoices", "cmd-invoices", Capability.INVOICE_SUBMIT),
    BotCommandSpec("approvals", "cmd-approvals", Capability.APPROVE),
    BotCommandSpec("cash", "cmd-cash", Capability.CASH_READ),
    BotCommandSpec("invite", "cmd-invite", Capability.INVITE_CREATE),
    BotCommandSpec("members", "cmd-members", Capability.MEMBERS_MANAGE),
    BotCommandSpec("company", "cmd-company", Capability.COMPANY_SWITCH),
    BotCommandSpec("regos", "cmd-regos", Capability.REGOS_MANAGE),
    BotCommandSpec("sync", "cmd-sync", Capability.SYNC_RUN),
    BotCommandSpec("settings", "cmd-settings", Capability.SUMMARY_FOLLOW),
    BotCommandSpec("ailog", "cmd-ailog", Capability.AI_LOG),
    BotCommandSpec("lang", "cmd-lang", None),
    BotCommandSpec("cancel", "cmd-cancel", None),
)


def commands_for(role: Role | None) -> list[BotCommandSpec]:
    return [spec for spec in COMMANDS if spec.capability is None or can(role, spec.capability)]


# Rows of the reply-keyboard main menu; each button is an i18n key, shown to the roles that have its capability.
MENU_ROWS: tuple[tuple[tuple[str, Capability], ...], ...] = (
    (("menu-today", Capability.REPORTS_READ), ("menu-sales", Capability.REPORTS_READ)),
    (("menu-mysales", Capability.OWN_SALES_READ), ("menu-invoices", Capability.INVOICE_SUBMIT)),
    (("menu-expense", Capability.EXPENSE_SUBMIT), ("menu-cash", Capability.CASH_READ),
     ("menu-approvals", Capability.APPROVE)),
    (("menu-payroll", Capability.PAYROLL_PREPARE),),
    (("menu-sync", Capability.SYNC_RUN), ("menu-settings", Capability.SUMMARY_FOLLOW),
     ("menu-regos", Capability.REGOS_MANAGE)),
    (("menu-invite", Capability.INVITE_CREATE), ("menu-members", Capability.MEMBERS_MANAGE)),
    (("menu-company", Capability.COMPANY_SWITCH), ("menu-language", Capability.COMPANY_SWITCH),
     ("menu-help", Capability.COMPANY_SWITCH)),
)


def main_menu(i18n: I18nContext, role: Role | None) -> ReplyKeyboardMarkup:
    rows = []
    for row in MENU_ROWS:
        buttons = [KeyboardButton(text=i18n.get(key)) for key, capability in row if can(role, capability)]
        if buttons:
            rows.append(buttons)
    if not rows:
        rows = [[KeyboardButton(text=i18n.get("menu-language")), KeyboardButton(text=i18n.get("menu-help"))]]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)


def role_name(i18n: I18nContext, role: Role | str) -> str:
    return i18n.get(f"role-{Role(role).value}")


def branches_text(i18n: I18nContext, membership: Membership) -> str:
    if not membership.branches:
        return i18n.get("all-branches")
    return ", ".join(esc(branch.name) for branch in membership.branches)
