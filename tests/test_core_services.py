"""Companies, invites and membership rules, against a migrated database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.base import utcnow
from db.models import AuditLog, Branch, Company, Invite, Membership, Role, TaxRegime, User
from services import companies, invites, members
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.users import TelegramIdentity, active_context, get_or_create_user, switch_company


async def _user(session: AsyncSession, telegram_id: int, name: str = "U"):
    return await get_or_create_user(session, TelegramIdentity(telegram_id, name, None, "ru"))


async def _membership(session: AsyncSession, user: User, company: Company) -> Membership:
    membership = await repo.membership(session, user.id, company.id)
    assert membership is not None
    return membership


async def _member(session: AsyncSession, company: Company, telegram_id: int, role: Role,
                  branches: list[Branch] | None = None) -> Membership:
    """A member with a role (and branches), made directly: for the rules that depend on the actor's role."""
    user = await _user(session, telegram_id)
    session.add(Membership(user_id=user.id, company_id=company.id, role=role.value, branches=branches or []))
    await session.flush()
    return await _membership(session, user, company)


@pytest.mark.parametrize("raw", ["12345678", "1234567890", "12345678a", "", "  ", "١٢٣٤٥٦٧٨٩"])
def test_tin_rejects_anything_but_nine_digits(raw: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        companies.normalize_tin(raw)
    assert error.value.key == "error-tin-format"


def test_tin_accepts_spaces_and_dashes() -> None:
    assert companies.normalize_tin(" 305-123 456 ") == "305123456"


async def test_create_company_makes_owner_and_regime(session: AsyncSession) -> None:
    owner = await _user(session, 1001, "Aziz")
    company = await companies.create_company(
        session, name="  Oila   Market ", tin="305123456", timezone="Asia/Tashkent", regime=TaxRegime.VAT, owner=owner
    )
    await session.commit()
    assert company.name == "Oila Market"
    ctx = await active_context(session, owner)
    assert ctx is not None and ctx.role is Role.OWNER and ctx.company.id == company.id
    regime = await companies.tax_regime_on(session, company.id, companies.business_day(company))
    assert regime is TaxRegime.VAT
    assert await companies.tax_regime_on(session, company.id, companies.business_day(company) - timedelta(days=1)) \
        is None
    actions = (await session.scalars(select(AuditLog.action))).all()
    assert actions == ["company.created"]


async def test_invite_lifecycle_and_refusals(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    invite = await invites.create_invite(
        session, company_id=company.id, role=Role.CASHIER, by=await _membership(session, owner, company)
    )
    await session.commit()
    cashier = await _user(session, 2)
    membership = await invites.redeem_invite(session, code=invite.code, user=cashier)
    await session.commit()
    assert membership.role == "cashier" and cashier.active_company_id == company.id

    # used twice
    other = await _user(session, 3)
    with pytest.raises(ValidationFailed) as used:
        await invites.redeem_invite(session, code=invite.code, user=other)
    assert used.value.key == "invite-used"

    # forged / malformed codes
    for code in ["nope-nope-nope", "x", "'; drop table invites; --", ""]:
        with pytest.raises(ValidationFailed) as forged:
            await invites.redeem_invite(session, code=code, user=other)
        assert forged.value.key == "invite-not-found"

    # expired
    stale = await invites.create_invite(
        session, company_id=company.id, role=Role.STAFF, by=await _membership(session, owner, company)
    )
    stale.expires_at = utcnow() - timedelta(seconds=1)
    await session.commit()
    with pytest.raises(ValidationFailed) as expired:
        await invites.redeem_invite(session, code=stale.code, user=other)
    assert expired.value.key == "invite-expired"

    # company deleted after the invite was made
    fresh = await invites.create_invite(
        session, company_id=company.id, role=Role.STAFF, by=await _membership(session, owner, company)
    )
    await companies.delete_company(session, company, by_user_id=owner.id)
    await session.commit()
    with pytest.raises(ValidationFailed) as gone:
        await invites.redeem_invite(session, code=fresh.code, user=other)
    assert gone.value.key == "invite-company-gone"
    assert await session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == other.id)) == 0


async def test_already_member_and_branch_invite(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    branch = Branch(company_id=company.id, name="Chilonzor")
    session.add(branch)
    await session.flush()
    invite = await invites.create_invite(
        session, company_id=company.id, role=Role.MANAGER, by=await _membership(session, owner, company),
        branch_id=branch.id,
    )
    manager = await _user(session, 2)
    membership = await invites.redeem_invite(session, code=invite.code, user=manager)
    await session.commit()
    ctx = await active_context(session, manager)
    assert ctx is not None and ctx.branch_ids == {branch.id} and membership.role == "manager"
    again = await invites.create_invite(
        session, company_id=company.id, role=Role.STAFF, by=await _membership(session, owner, company)
    )
    with pytest.raises(ValidationFailed) as dup:
        await invites.redeem_invite(session, code=again.code, user=manager)
    assert dup.value.key == "invite-already-member"


async def test_manager_cannot_invite_owner_or_foreign_branch(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    stranger = await _user(session, 9)
    other = await companies.create_company(session, name="B", tin="222222222", owner=stranger)
    foreign_branch = Branch(company_id=other.id, name="Elsewhere")
    chilonzor, sergeli = Branch(company_id=company.id, name="Chilonzor"), Branch(company_id=company.id, name="Sergeli")
    session.add_all([foreign_branch, chilonzor, sergeli])
    await session.flush()
    manager = await _member(session, company, 2, Role.MANAGER)
    branch_manager = await _member(session, company, 3, Role.MANAGER, [chilonzor])
    cashier = await _member(session, company, 4, Role.CASHIER)
    refusals = [
        (manager, Role.OWNER, None, "error-role-not-assignable"),  # a manager gives roles below manager only
        (manager, Role.MANAGER, None, "error-role-not-assignable"),
        (await _membership(session, owner, company), Role.STAFF, foreign_branch.id, "error-branch-not-yours"),
        (cashier, Role.STAFF, None, "error-no-permission-roles"),  # a cashier invites nobody
        (branch_manager, Role.CASHIER, None, "error-branch-not-yours"),  # not the whole company
        (branch_manager, Role.CASHIER, sergeli.id, "error-branch-not-yours"),  # not a branch they do not run
        (await _membership(session, stranger, other), Role.STAFF, None, "error-not-your-company"),
    ]
    for by, role, branch_id, key in refusals:
        with pytest.raises(PermissionDenied) as refused:
            await invites.create_invite(session, company_id=company.id, role=role, by=by, branch_id=branch_id)
        assert refused.value.key == key, (by.role, role, branch_id)
    assert await session.scalar(select(func.count()).select_from(Invite)) == 0

    # what they may do
    await invites.create_invite(session, company_id=company.id, role=Role.CASHIER, by=branch_manager,
                                branch_id=chilonzor.id)
    await invites.create_invite(session, company_id=company.id, role=Role.STAFF, by=manager)
    assert await session.scalar(select(func.count()).select_from(Invite)) == 2
    assert invites.roles_to_invite(cashier) == []
    assert Role.OWNER not in invites.roles_to_invite(manager) and Role.CASHIER in invites.roles_to_invite(manager)
    choice = await invites.branch_choice(session, branch_manager)
    assert not choice.whole_company and [b.name for b in choice.branches] == ["Chilonzor"] and choice.needs_asking
    choice = await invites.branch_choice(session, manager)
    assert choice.whole_company and [b.name for b in choice.branches] == ["Chilonzor", "Sergeli"]


async def test_role_changes_never_drop_the_last_owner(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    owner_membership = (await members.list_members(session, company.id))[0]
    with pytest.raises(ValidationFailed) as last:
        await members.change_role(session, company_id=company.id, membership_id=owner_membership.id,
                                  new_role=Role.MANAGER, actor=owner, actor_role=Role.OWNER)
    assert last.value.key == "error-last-owner"
    with pytest.raises(ValidationFailed):
        await members.remove_member(session, company_id=company.id, membership_id=owner_membership.id,
                                    actor=owner, actor_role=Role.OWNER)

    invite = await invites.create_invite(session, company_id=company.id, role=Role.OWNER,
                                         by=await _membership(session, owner, company))
    second = await _user(session, 2)
    await invites.redeem_invite(session, code=invite.code, user=second)
    await members.change_role(session, company_id=company.id, membership_id=owner_membership.id,
                              new_role=Role.MANAGER, actor=second, actor_role=Role.OWNER)
    # pressing twice has one effect
    await members.change_role(session, company_id=company.id, membership_id=owner_membership.id,
                              new_role=Role.MANAGER, actor=second, actor_role=Role.OWNER)
    await session.commit()
    roles = sorted(m.role for m in await members.list_members(session, company.id))
    assert roles == ["manager", "owner"]
    changes = (await session.scalars(select(AuditLog).where(AuditLog.action == "member.role_changed"))).all()
    assert len(changes) == 1


async def test_manager_cannot_touch_owner_and_foreign_member_is_not_found(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    stranger_owner = await _user(session, 5)
    other = await companies.create_company(session, name="B", tin="222222222", owner=stranger_owner)
    owner_membership = (await members.list_members(session, company.id))[0]
    foreign = (await members.list_members(session, other.id))[0]
    with pytest.raises(PermissionDenied):
        await members.remove_member(session, company_id=company.id, membership_id=owner_membership.id,
                                    actor=owner, actor_role=Role.MANAGER)
    with pytest.raises(NotFound):
        await members.remove_member(session, company_id=company.id, membership_id=foreign.id,
                                    actor=owner, actor_role=Role.OWNER)
    with pytest.raises(NotFound):
        await switch_company(session, owner, other.id)


async def test_remove_member_clears_active_company(session: AsyncSession) -> None:
    owner = await _user(session, 1)
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    invite = await invites.create_invite(session, company_id=company.id, role=Role.STAFF,
                                         by=await _membership(session, owner, company))
    staff = await _user(session, 2)
    membership = await invites.redeem_invite(session, code=invite.code, user=staff)
    await members.remove_member(session, company_id=company.id, membership_id=membership.id, actor=owner,
                                actor_role=Role.MANAGER)
    await session.commit()
    assert staff.active_company_id is None
    assert await active_context(session, staff) is None
