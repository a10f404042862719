"""Purchases from supplier invoices: files in (intake), drafts from OCR (drafts), Confirm / Discard / the input VAT
claim and the approval kind (records), and the list with its exports (listing). No aiogram here.

    check_file(file); upload = await record_upload(...)            # the handler, per photo / document / album part
    parts = await claim(session, upload.id)                         # the background reader
    for group in split_documents(results): await create_draft(session, data=merge(group), ...)
    await confirm(session, membership=..., user=..., purchase_id=...)
"""

from services.purchases.drafts import (
    DraftData,
    EditField,
    checks,
    create_draft,
    edit_field,
    items_of,
    low_confidence,
    merge,
    split_documents,
    value_of,
)
from services.purchases.intake import (
    MAX_FILE_BYTES,
    MAX_FILE_MB,
    IncomingFile,
    check_file,
    claim,
    finish,
    group_progress_message,
    latest_part_at,
    record_upload,
)
from services.purchases.listing import (
    PurchaseFilter,
    PurchasePage,
    all_purchases,
    lines_of,
    list_purchases,
    purchases_json,
    purchases_xlsx,
    supplier_names,
    suppliers_of,
)
from services.purchases.records import (
    KIND,
    ConfirmOutcome,
    approval_threshold,
    confirm,
    discard,
    duplicate_of_document,
    match_items,
    purchase_of,
    set_approval_threshold,
    set_vat_claim,
    supplier_for,
)

__all__ = [
    "KIND",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "ConfirmOutcome",
    "DraftData",
    "EditField",
    "IncomingFile",
    "PurchaseFilter",
    "PurchasePage",
    "all_purchases",
    "approval_threshold",
    "check_file",
    "checks",
    "claim",
    "confirm",
    "create_draft",
    "discard",
    "duplicate_of_document",
    "edit_field",
    "finish",
    "group_progress_message",
    "items_of",
    "latest_part_at",
    "lines_of",
    "list_purchases",
    "low_confidence",
    "match_items",
    "merge",
    "purchase_of",
    "purchases_json",
    "purchases_xlsx",
    "record_upload",
    "set_approval_threshold",
    "set_vat_claim",
    "split_documents",
    "supplier_for",
    "supplier_names",
    "suppliers_of",
    "value_of",
]
