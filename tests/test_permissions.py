"""The permission table, the member-management rule and branch scope (services.permissions)."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Branch, Membership, Role
from handlers.common import commands_for
from services import companies
from services.errors import PermissionDenied
from services.permissions import (
    ALL_ROLES,
    ROLE_CAPABILITIES,
    Capability,
    assignable_roles,
    branch_scope,
    can,
    can_manage,
    capabilities_of,
    filter_visible,
    require,
    roles_with,
    visible_branch,
    visible_branches,
)
from services.users import TelegramIdentity, get_or_create_user

# The README's "Commands by role", as the table must keep it.
README_COMMANDS = {
    Role.OWNER: {"today", "sales", "mysales", "invite", "members", "company", "regos", "sync", "settings",
                 "payroll", "payslips", "expense", "expenses", "approvals", "cash", "tax", "invoices", "ask",
                 "forecast", "advice", "ailog"},
    Role.MANAGER: {"today", "sales", "mysales", "invite", "members", "company", "sync", "settings", "payslips",
                   "expense", "expenses", "approvals", "cash", "invoices", "ask", "forecast", "advice"},
    Role.ACCOUNTANT: {"today", "sales", "mysales", "company", "settings", "payroll", "payslips", "expense",
                      "expenses", "cash", "tax", "invoices", "ask", "forecast", "advice"},
    Role.CASHIER: {"company", "mysales", "payslips", "expense", "expenses", "cash"},
    Role.WAREHOUSE: {"company", "mysales", "payslips", "invoices"},
    Role.AGENT: {"company", "mysales", "payslips"},
    Role.STAFF: {"company", "mysales", "payslips"},
}
EVERYONE = {"start", "help", "lang", "cancel"}


def test_every_capability_is_in_the_table_once() -> None:
    assert set(ROLE_CAPABILITIES) == set(Capability)
    assert all(roles <= set(ALL_ROLES) for roles in ROLE_CAPABILITIES.values())


@pytest.mark.parametrize("role", ALL_ROLES)
def test_commands_per_role_are_the_readme_ones(role: Role) -> None:
    assert {spec.name for spec in commands_for(role)} == README_COMMANDS[role] | EVERYONE


def test_without_a_company_only_the_common_commands() -> None:
    assert {spec.name for spec in commands_for(None)} == EVERYONE
    assert not can(None, Capability.COMPANY_SWITCH)


def test_can_roles_with_and_require_agree() -> None:
    for capability in Capability:
        for role in ALL_ROLES:
            assert can(role, capability) is (role in roles_with(capability))
            assert (capability in capabilities_of(role)) is can(role, capability)
            assert can(role.value, capability) is can(role, capability)  # stored as strings
    assert roles_with(Capability.REPORTS_READ) == (Role.OWNER, Role.MANAGER, Role.ACCOUNTANT)  # rank order
    with pytest.raises(PermissionDenied) as refused:
        require(Role.CASHIER, Capability.SYNC_RUN)
    assert refused.value.key == "error-no-permission-roles"
    assert refused.value.params["roles"] == (Role.OWNER, Role.MANAGER)
    require(Role.MANAGER, Capability.SYNC_RUN)


def test_who_assigns_and_manages_whom() -> None:
    assert assignable_roles(Role.OWNER) == list(ALL_ROLES)
    assert assignable_roles(Role.MANAGER) == [Role.ACCOUNTANT, Role.CASHIER, Role.WAREHOUSE, Role.AGENT, Role.STAFF]
    for role in (Role.ACCOUNTANT, Role.CASHIER, Role.WAREHOUSE, Role.AGENT, Role.STAFF):
        assert assignable_roles(role) == []
        assert not can_manage(role, Role.STAFF)
    assert can_manage(Role.OWNER, Role.OWNER)
    assert not can_manage(Role.MANAGER, Role.MANAGER) and not can_manage(Role.MANAGER, Role.OWNER)
    assert can_manage(Role.MANAGER, Role.CASHIER)


def test_branch_scope_is_the_members_branches_or_everything() -> None:
    first, second = Branch(id=1, company_id=7, name="A"), Branch(id=2, company_id=7, name="B")
    foreign = Branch(id=3, company_id=8, name="C")
    everywhere = Membership(company_id=7, role="manager", branches=[])
    tied = Membership(company_id=7, role="manager", branches=[second])
    assert branch_scope(everywhere) is None and branch_scope(tied) == {2}
    assert filter_visible(everywhere, [first, second, foreign]) == [first, second]  # never another company's
    assert filter_visible(tied, [first, second, foreign]) == [second]


async def test_visible_branches_from_the_database(session: AsyncSession) -> None:
    owner = await get_or_create_user(session, TelegramIdentity(1, "Owner", None, "en"))
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    other = await companies.create_company(session, name="B", tin="222222222")
    mine = [Branch(company_id=company.id, name=name) for name in ("Chilonzor", "Sergeli", "Yunusobod")]
    theirs = Branch(company_id=other.id, name="Elsewhere")
    session.add_all([*mine, theirs])
    await session.flush()
    manager_user = await get_or_create_user(session, TelegramIdentity(2, "Manager", None, "en"))
    manager = Membership(user_id=manager_user.id, company_id=company.id, role="manager", branches=[mine[1]])
    owner_membership = Membership(user_id=owner.id, company_id=company.id, role="owner", branches=[])
    session.add(manager)
    await session.flush()
    assert [b.name for b in await visible_branches(session, owner_membership)] == ["Chilonzor", "Sergeli",
                                                                                   "Yunusobod"]
    assert [b.name for b in await visible_branches(session, manager)] == ["Sergeli"]
    assert await visible_branch(session, manager, mine[1].id) is not None
    assert await visible_branch(session, manager, mine[0].id) is None  # their company's, not theirs
    assert await visible_branch(session, owner_membership, theirs.id) is None  # another company's
