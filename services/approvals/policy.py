"""Who may decide a request: a capability, the requester's branch, and amount limits per role, set per company.

A company's changes live in `companies.settings["approvals"][kind]` ({"limits": {"manager": "5000000"},
"remind_after_minutes": 240, "escalate_after_minutes": 1440}); a kind's `PolicyDefaults` fill the rest. The policy
is copied into the request when it is made, so a later change of settings does not move a request already asked;
the person deciding is checked as they are at the moment they press (role, branches, still a member).

The rules, in order (the first that fails names the refusal):
1. the role has the policy's capability;
2. one's own request is decided by someone else, unless one is an owner (nobody is above the owner);
3. a member limited to some branches decides requests of those branches only;
4. a role with a limit decides amounts up to it; above it, a role without a limit (the owner) does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

from db.approvals import ApprovalRequest
from db.models import Company, Membership, Role
from services.approvals.kinds import ApprovalKind
from services.permissions import Capability, branch_scope, can


@dataclass(frozen=True, slots=True)
class Policy:
    capability: Capability
    limits: dict[Role, Decimal] = field(default_factory=dict)  # a role not listed decides any amount
    remind_after: timedelta = timedelta(hours=4)
    escalate_after: timedelta = timedelta(hours=24)

    def to_json(self) -> dict[str, Any]:
        return {
            "capability": self.capability.value,
            "limits": {role.value: f"{limit:f}" for role, limit in self.limits.items()},
            "remind_after": int(self.remind_after.total_seconds()),
            "escalate_after": int(self.escalate_after.total_seconds()),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Policy:
        return cls(
            capability=Capability(data.get("capability", Capability.APPROVE.value)),
            limits={Role(role): Decimal(limit) for role, limit in (data.get("limits") or {}).items()},
            remind_after=timedelta(seconds=int(data.get("remind_after", 4 * 3600))),
            escalate_after=timedelta(seconds=int(data.get("escalate_after", 24 * 3600))),
        )

    def limit_for(self, role: Role) -> Decimal | None:
        return self.limits.get(role)


def _company_raw(company: Company, kind_name: str) -> dict[str, Any]:
    return dict(((company.settings or {}).get("approvals") or {}).get(kind_name) or {})


def company_policy(company: Company, kind: ApprovalKind) -> Policy:
    """The policy a new request of `kind` gets in this company."""
    defaults = kind.default_policy
    raw = _company_raw(company, kind.name)
    limits = dict(defaults.limits)
    for role, value in (raw.get("limits") or {}).items():
        if value is None:
            limits.pop(Role(role), None)
        else:
            limits[Role(role)] = Decimal(str(value))
    remind = raw.get("remind_after_minutes")
    escalate = raw.get("escalate_after_minutes")
    return Policy(
        capability=defaults.capability,
        limits=limits,
        remind_after=timedelta(minutes=int(remind)) if remind is not None else defaults.remind_after,
        escalate_after=timedelta(minutes=int(escalate)) if escalate is not None else defaults.escalate_after,
    )


def set_company_policy(company: Company, kind_name: str, *, limits: dict[Role, Decimal | None] | None = None,
                       remind_after: timedelta | None = None, escalate_after: timedelta | None = None) -> None:
    """Changes a company's policy for a kind (a limit of None: that role decides any amount). The caller audits."""
    raw = _company_raw(company, kind_name)
    if limits:
        stored = dict(raw.get("limits") or {})
        for role, value in limits.items():
            stored[role.value] = None if value is None else f"{value:f}"
        raw["limits"] = stored
    if remind_after is not None:
        raw["remind_after_minutes"] = int(remind_after.total_seconds() // 60)
    if escalate_after is not None:
        raw["escalate_after_minutes"] = int(escalate_after.total_seconds() // 60)
    approvals = dict((company.settings or {}).get("approvals") or {})
    approvals[kind_name] = raw
    company.settings = {**(company.settings or {}), "approvals": approvals}  # a new dict: SQLAlchemy sees it


def request_policy(request: ApprovalRequest) -> Policy:
    return Policy.from_json(request.policy or {})


def refusal(request: ApprovalRequest, membership: Membership | None) -> str | None:
    """Why this member may not decide the request (an i18n key), or None when they may."""
    if membership is None or membership.company_id != request.company_id:
        return "approval-not-found"
    policy = request_policy(request)
    role = Role(membership.role)
    if not can(role, policy.capability):
        return "approval-refused-role"
    if request.requested_by_user_id == membership.user_id and role is not Role.OWNER:
        return "approval-refused-own"
    scope = branch_scope(membership)
    if scope is not None and (request.branch_id is None or request.branch_id not in scope):
        return "approval-refused-branch"
    limit = policy.limit_for(role)
    if limit is not None and request.amount is not None and request.amount > limit:
        return "approval-refused-limit"
    return None


def may_decide(request: ApprovalRequest, membership: Membership | None) -> bool:
    return refusal(request, membership) is None


__all__ = ["Policy", "company_policy", "may_decide", "refusal", "request_policy", "set_company_policy"]
