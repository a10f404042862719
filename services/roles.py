"""Who may do what. Pure rules, used by handlers (filters) and services (checks) alike."""

from __future__ import annotations

from db.models import Role

ALL_ROLES: tuple[Role, ...] = tuple(Role)
RANK = {role: index for index, role in enumerate(ALL_ROLES)}  # lower is more powerful
MANAGING_ROLES = frozenset({Role.OWNER, Role.MANAGER})


def parse_role(value: str) -> Role | None:
    try:
        return Role(value)
    except ValueError:
        return None


def can_manage_members(role: Role) -> bool:
    return role in MANAGING_ROLES


def assignable_roles(actor: Role) -> list[Role]:
    """Roles an actor may give through an invite or a role change."""
    if actor is Role.OWNER:
        return list(ALL_ROLES)
    if actor is Role.MANAGER:
        return [role for role in ALL_ROLES if RANK[role] > RANK[Role.MANAGER]]
    return []


def can_manage(actor: Role, target: Role) -> bool:
    """Owners manage everyone; managers manage only roles below manager."""
    if actor is Role.OWNER:
        return True
    return actor is Role.MANAGER and RANK[target] > RANK[Role.MANAGER]
