"""Tax reports (issue 15): a month's VAT or turnover tax by the company's dated regime, PIT and social tax from the
approved payroll, profit tax (an estimate) at a quarter's end; deadlines; documents laid out like the official
calculations; statuses draft → ready → filed through the approval engine.

- compute: ``compute_month`` (the figures, JSON-ready); calc: the money arithmetic; periods: months and deadlines;
- reports: ``open_report``, ``recompute``, ``submit_report``, ``mark_uploaded`` (filed once approved);
- documents: ``report_xlsx``, ``report_pdf``; reminders: ``due_reminders``, ``queue_reminders``.
"""
