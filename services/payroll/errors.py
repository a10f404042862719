"""Payroll refusals: an i18n key for the bot (``error-payroll-*``) and an English sentence for the CLI and logs."""

from __future__ import annotations

from services.errors import DomainError, NotFound, ValidationFailed


class PayrollError(DomainError):
    key = "error-payroll"
    message = "payroll refused"

    def __str__(self) -> str:
        try:
            return self.message.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.message


class PayrollInvalid(PayrollError, ValidationFailed):
    key = "error-payroll-invalid"
    message = "{field}: {problem}"


class DaysOutOfRange(PayrollInvalid):
    key = "error-payroll-days"
    message = "days_worked: between 0 and {most} (the month's working days)"


class EmployeeNotFound(PayrollError, NotFound):
    key = "error-payroll-employee-not-found"
    message = "no employee {employee_id} in this company"


class RunNotFound(PayrollError, NotFound):
    key = "error-payroll-run-not-found"
    message = "no payroll run {run_id} in this company"


class RunFrozen(PayrollError):
    """An approved (or paid) run never changes: a correction is a new version."""

    key = "error-payroll-run-frozen"
    message = "the payroll of {month} (version {version}) is {status}: start a correction instead of editing it"


class RunStateConflict(PayrollError):
    key = "error-payroll-run-state"
    message = "the payroll run is {status}, not {expected}"


class OpenRunExists(PayrollError):
    key = "error-payroll-open-run"
    message = "the payroll of {month} already has an open version ({version}, {status})"


class NegativeNet(PayrollError):
    key = "error-payroll-negative-net"
    message = "{count} employees have a negative net: resolve it or approve knowingly"
