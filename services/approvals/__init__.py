"""The approval engine: one way for every feature (expenses, cash, payroll, invoices, tax...) to ask for a decision.

A feature registers a kind once (services/approvals/kinds.py; its module listed in `KIND_MODULES`) and submits:

    submitted = await approvals.submit(session, kind="expense", company_id=company.id, object_id=expense.id,
                                       requested_by=user, amount=expense.amount, branch_id=expense.branch_id)
    # submitted.approvers got a card (through the outbox, after commit)

The engine renders the kind's card for each approver, owns the Approve / Reject buttons (handlers/approvals.py),
applies the policy (capability, branch, amount limits per role, own requests), makes the decision one conditional
UPDATE (`decide`), runs the kind's `on_approve` / `on_reject` in that transaction, edits every card shown for the
request to the outcome and tells the requester; pending requests are reminded and escalated by scheduled jobs.
"""

from services.approvals.cards import ApprovalAction, button_data, card_of, card_title, render_for
from services.approvals.engine import (
    AlreadyDecided,
    Submitted,
    approvers_of,
    check_may_decide,
    clean_reason,
    decide,
    ensure_pending,
    get_request,
    pending_for,
    pending_request_for,
    submit,
    withdraw,
)
from services.approvals.kinds import (
    ApprovalKind,
    Attachment,
    Card,
    Fact,
    Label,
    PolicyDefaults,
    get_kind,
    register,
)
from services.approvals.policy import Policy, company_policy, may_decide, refusal, set_company_policy
from services.approvals.schedule import escalations_due, reminders_due, send_escalations, send_reminders

__all__ = [
    "AlreadyDecided",
    "ApprovalAction",
    "ApprovalKind",
    "Attachment",
    "Card",
    "Fact",
    "Label",
    "Policy",
    "PolicyDefaults",
    "Submitted",
    "approvers_of",
    "button_data",
    "card_of",
    "card_title",
    "check_may_decide",
    "clean_reason",
    "company_policy",
    "decide",
    "ensure_pending",
    "escalations_due",
    "get_kind",
    "get_request",
    "may_decide",
    "pending_for",
    "pending_request_for",
    "refusal",
    "register",
    "reminders_due",
    "render_for",
    "send_escalations",
    "send_reminders",
    "set_company_policy",
    "submit",
    "withdraw",
]
