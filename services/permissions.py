"""Who may do what, in one table: capabilities mapped to roles, the member-management rule, and branch scope.

Handlers ask through the `capability` flag (checked by the guard middleware) and services through `require()`;
/help, the main menu and the refusal texts read the same table, so a role's powers are written down once.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.models import Branch, Membership, Role
from services.errors import PermissionDenied

ALL_ROLES: tuple[Role, ...] = tuple(Role)  # most powerful first
RANK = {role: index for index, role in enumerate(ALL_ROLES)}  # lower is more powerful


class Capability(StrEnum):
    """Something a member may do. Values are stable names (logs, tests); the roles are in ROLE_CAPABILITIES."""

    COMPANY_SWITCH = "company.switch"  # be a member: pick the active company
    REPORTS_READ = "reports.read"  # /today, /sales, exports
    SUMMARY_FOLLOW = "summary.follow"  # get the summaries; mute them, pick the branches to follow (/settings)
    SETTINGS_COMPANY = "settings.company"  # the company's summary time and which summaries it sends
    SYNC_RUN = "sync.run"  # /sync now
    REGOS_MANAGE = "regos.manage"  # connect REGOS, rename branches, tie REGOS sellers to members
    MEMBERS_MANAGE = "members.manage"  # /members: change roles, remove (within assignable_roles)
    INVITE_CREATE = "invite.create"  # /invite (roles and branches: services.invites)
    # Room for the features that come next; nothing checks these yet, but the table already says who.
    EXPENSE_SUBMIT = "expense.submit"
    EXPENSE_READ = "expense.read"  # /expenses of the branches one sees (others see their own)
    EXPENSE_SETTINGS = "expense.settings"  # categories, auto-approval limit, ceiling, managers' approval limit
    APPROVE = "approve"
    CASH_READ = "cash.read"  # /cash: registers and balances
    CASH_OPERATE = "cash.operate"  # deposits, withdrawals, transfers, collections
    CASH_SETTINGS = "cash.settings"  # register limits, withdrawal approval threshold
    PAYROLL_PREPARE = "payroll.prepare"
    PAYROLL_APPROVE = "payroll.approve"
    TAX_PREPARE = "tax.prepare"
    TAX_APPROVE = "tax.approve"  # approve a tax report as ready to file
    INVOICE_SUBMIT = "invoice.submit"
    INVOICE_REVIEW = "invoice.review"
    PURCHASES_READ = "purchases.read"  # /invoices: the company's purchases (a sender sees their own)
    AI_ASK = "ai.ask"
    AI_LOG = "ai.log"  # /ailog: the assistant's questions, answers and feedback
    OWN_SALES_READ = "sales.own"  # /mysales: the receipts of the REGOS seller linked to the member


_OWNER, _MANAGER, _ACCOUNTANT = Role.OWNER, Role.MANAGER, Role.ACCOUNTANT

# THE table. A capability's roles are listed most powerful first.
ROLE_CAPABILITIES: dict[Capability, frozenset[Role]] = {
    Capability.COMPANY_SWITCH: frozenset(ALL_ROLES),
    Capability.REPORTS_READ: frozenset({_OWNER, _MANAGER, _ACCOUNTANT}),
    Capability.SUMMARY_FOLLOW: frozenset({_OWNER, _MANAGER, _ACCOUNTANT}),
    Capability.SETTINGS_COMPANY: frozenset({_OWNER}),
    Capability.SYNC_RUN: frozenset({_OWNER, _MANAGER}),
    Capability.REGOS_MANAGE: frozenset({_OWNER}),
    Capability.MEMBERS_MANAGE: frozenset({_OWNER, _MANAGER}),
    Capability.INVITE_CREATE: frozenset({_OWNER, _MANAGER}),
    Capability.EXPENSE_SUBMIT: frozenset({_OWNER, _MANAGER, _ACCOUNTANT, Role.CASHIER}),
    Capability.EXPENSE_READ: frozenset({_OWNER, _MANAGER, _ACCOUNTANT}),
    Capability.EXPENSE_SETTINGS: frozenset({_OWNER}),
    Capability.APPROVE: frozenset({_OWNER, _MANAGER}),
    Capability.CASH_READ: frozenset({_OWNER, _MANAGER, _ACCOUNTANT, Role.CASHIER}),
    Capability.CASH_OPERATE: frozenset({_OWNER, _MANAGER, Role.CASHIER}),
    Capability.CASH_SETTINGS: frozenset({_OWNER}),
    Capability.PAYROLL_PREPARE: frozenset({_OWNER, _ACCOUNTANT}),
    Capability.PAYROLL_APPROVE: frozenset({_OWNER}),
    Capability.TAX_PREPARE: frozenset({_OWNER, _ACCOUNTANT}),
    Capability.TAX_APPROVE: frozenset({_OWNER}),
    Capability.INVOICE_SUBMIT: frozenset({_OWNER, _MANAGER, _ACCOUNTANT, Role.WAREHOUSE}),
    Capability.INVOICE_REVIEW: frozenset({_OWNER, _ACCOUNTANT}),
    Capability.PURCHASES_READ: frozenset({_OWNER, _MANAGER, _ACCOUNTANT}),
    Capability.AI_ASK: frozenset({_OWNER, _MANAGER, _ACCOUNTANT}),
    Capability.AI_LOG: frozenset({_OWNER}),
    Capability.OWN_SALES_READ: frozenset(ALL_ROLES),
}


def can(role: Role | str | None, capability: Capability) -> bool:
    if role is None:
        return False
    return Role(role) in ROLE_CAPABILITIES[capability]


def roles_with(capability: Capability) -> tuple[Role, ...]:
    """The roles that have a capability, most powerful first (for refusals and recipient lists)."""
    allowed = ROLE_CAPABILITIES[capability]
    return tuple(role for role in ALL_ROLES if role in allowed)


def capabilities_of(role: Role) -> frozenset[Capability]:
    return frozenset(capability for capability, roles in ROLE_CAPABILITIES.items() if role in roles)


def require(role: Role | str | None, capability: Capability) -> None:
    """A service's check: raises the refusal that names the roles that may do it."""
    if not can(role, capability):
        raise PermissionDenied("error-no-permission-roles", roles=roles_with(capability))


def parse_role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


# --- managing members ---------------------------------------------------------------------------------------------


def assignable_roles(actor: Role) -> list[Role]:
    """Roles an actor may give through an invite or a role change: owners any, managers those below manager."""
    if not can(actor, Capability.MEMBERS_MANAGE) and not can(actor, Capability.INVITE_CREATE):
        return []
    if actor is Role.OWNER:
        return list(ALL_ROLES)
    return [role for role in ALL_ROLES if RANK[role] > RANK[actor]]


def can_manage(actor: Role, target: Role) -> bool:
    """Whether an actor may change or remove a member with the target role."""
    return can(actor, Capability.MEMBERS_MANAGE) and (actor is Role.OWNER or RANK[target] > RANK[actor])


# --- branch scope: the one rule -----------------------------------------------------------------------------------


def branch_scope(membership: Membership) -> frozenset[int] | None:
    """The branch ids a member may see, or None for every branch of the company (a member with no branches)."""
    return frozenset(branch.id for branch in membership.branches) or None


def filter_visible(membership: Membership, branches: Sequence[Branch]) -> list[Branch]:
    """Of a company's branches, those the member may see."""
    scope = branch_scope(membership)
    return [branch for branch in branches
            if branch.company_id == membership.company_id and (scope is None or branch.id in scope)]


async def visible_branches(session: AsyncSession, membership: Membership) -> list[Branch]:
    """The branches of the member's company that the member may see, in their usual order."""
    return filter_visible(membership, await repo.branches_of_company(session, membership.company_id))


async def visible_branch(session: AsyncSession, membership: Membership, branch_id: int) -> Branch | None:
    """One branch by id if the member may see it; another company's branch looks exactly like a missing one."""
    return next((branch for branch in await visible_branches(session, membership) if branch.id == branch_id), None)
