"""Employees: the people REGOS knows as cashiers and sellers, tied to the members who use the bot."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.models import Employee
from services import audit
from services.errors import NotFound


async def list_employees(session: AsyncSession, company_id: int) -> Sequence[Employee]:
    result = await session.scalars(
        select(Employee).where(Employee.company_id == company_id, Employee.active.is_(True))
        .order_by(Employee.full_name)
    )
    return result.all()


async def link_member(session: AsyncSession, *, company_id: int, employee_id: int, membership_id: int | None,
                      actor_user_id: int) -> Employee:
    """Ties an employee (e.g. a REGOS seller) to a member of the company, or unties it (`membership_id` None).
    One member is one employee: linking moves the member away from any other employee."""
    employee = await session.get(Employee, employee_id)
    if employee is None or employee.company_id != company_id:
        raise NotFound("error-member-not-found")
    user_id = None
    if membership_id is not None:
        membership = await repo.membership_by_id(session, membership_id)
        if membership is None or membership.company_id != company_id:
            raise NotFound("error-member-not-found")
        user_id = membership.user_id
        await session.execute(update(Employee).where(Employee.company_id == company_id, Employee.user_id == user_id,
                                                     Employee.id != employee_id).values(user_id=None))
    employee.user_id = user_id
    audit.record(session, "employee.linked", company_id=company_id, user_id=actor_user_id, employee=employee_id,
                 member_user=user_id)
    await session.flush()
    return employee
