"""Payroll: pay schemes, a month's computation with Uzbek taxes, runs with approval and corrections, files.

The bot flow calls:
- schemes: ``set_scheme``, ``schemes_for_month``, ``set_days_worked``, ``add_adjustment``, ``remove_adjustment``,
  ``set_profile``, ``payroll_settings`` / ``update_payroll_settings``;
- files: ``import_schemes`` (raises ``SchemesFileInvalid`` listing every problem), ``export_schemes``;
- runs: ``compute_draft``, ``recompute``, ``submit``, ``reject``, ``approve``, ``mark_paid``, ``start_correction``,
  ``latest_run``, ``run_lines``, ``month_report`` / ``run_json`` (the CLI's JSON);
- render: ``register_xlsx``, ``register_pdf``, ``payslip_pdf``, ``payslip_text``.
The arithmetic and its rounding rule: services/payroll/calc.py.
"""

from services.payroll.calc import IncomeTax, LineResult, MonthInput, Terms, compute_line, income_tax, social_tax, som
from services.payroll.compute import MonthPayroll, compute_month
from services.payroll.errors import (
    EmployeeNotFound,
    NegativeNet,
    OpenRunExists,
    PayrollError,
    PayrollInvalid,
    RunFrozen,
    RunNotFound,
    RunStateConflict,
)
from services.payroll.files import FileProblem, ImportResult, SchemesFileInvalid, export_schemes, import_schemes
from services.payroll.rates import PayrollRates, RateMissing, payroll_rates
from services.payroll.render import payslip_pdf, payslip_text, register_pdf, register_xlsx
from services.payroll.runs import (
    approve,
    compute_draft,
    get_run,
    latest_run,
    mark_paid,
    month_report,
    month_run,
    recompute,
    reject,
    run_json,
    run_lines,
    start_correction,
    submit,
)
from services.payroll.schemes import (
    PayrollSettings,
    SchemeInput,
    add_adjustment,
    payroll_settings,
    remove_adjustment,
    schemes_for_month,
    schemes_on,
    set_days_worked,
    set_profile,
    set_scheme,
    update_payroll_settings,
)
from services.payroll.workdays import month_working_days, parse_month, working_days

__all__ = [
    "EmployeeNotFound",
    "FileProblem",
    "ImportResult",
    "IncomeTax",
    "LineResult",
    "MonthInput",
    "MonthPayroll",
    "NegativeNet",
    "OpenRunExists",
    "PayrollError",
    "PayrollInvalid",
    "PayrollRates",
    "PayrollSettings",
    "RateMissing",
    "RunFrozen",
    "RunNotFound",
    "RunStateConflict",
    "SchemeInput",
    "SchemesFileInvalid",
    "Terms",
    "add_adjustment",
    "approve",
    "compute_draft",
    "compute_line",
    "compute_month",
    "export_schemes",
    "get_run",
    "import_schemes",
    "income_tax",
    "latest_run",
    "mark_paid",
    "month_report",
    "month_run",
    "month_working_days",
    "parse_month",
    "payroll_rates",
    "payroll_settings",
    "payslip_pdf",
    "payslip_text",
    "recompute",
    "register_pdf",
    "register_xlsx",
    "reject",
    "remove_adjustment",
    "run_json",
    "run_lines",
    "schemes_for_month",
    "schemes_on",
    "set_days_worked",
    "set_profile",
    "set_scheme",
    "social_tax",
    "som",
    "start_correction",
    "submit",
    "update_payroll_settings",
    "working_days",
]
