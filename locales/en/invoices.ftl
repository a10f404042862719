## Supplier invoices read from photos and files: the card, Edit, Confirm, the input VAT claim, /invoices.

cmd-invoices = purchases from supplier invoices: list, filters, Excel
menu-invoices = 📥 Invoices

invoice-reading = 📄 Reading the invoice… This takes a few seconds; you can keep using the bot meanwhile.
invoice-reading-part = 📄 Reading file { $index } of { $count }…
invoice-read-failed = Something went wrong while reading this file, and nothing was saved. Please send it again.
invoice-file-too-large = This file is larger than { $limit } MB, the most a bot may download from Telegram. Send a smaller file: a photo, or the PDF saved at a lower resolution. Nothing was saved.
invoice-file-unsupported = I can read invoices only from photos (JPG, PNG, HEIC, WebP, TIFF) and PDF files. Nothing was saved.
invoice-file-corrupt = This file is damaged or is not what its name says, so I could not open it. Nothing was saved.
invoice-file-encrypted = This PDF is protected with a password. Send it without the password, or a photo of it. Nothing was saved.
invoice-file-blank = The page is blank: I found no writing on it. Send a clear photo of the invoice. Nothing was saved.
invoice-not-an-invoice = I could not find an invoice in this picture (no number, totals or table). Send a clear, well-lit photo of the whole page. Nothing was saved.
invoice-ocr-unavailable = Reading invoices is not available on this server right now (OCR is not installed). Nothing was saved.
invoice-download-failed = I could not download this file from Telegram. Please send it again.
invoice-duplicate-file = This very file was already sent: it is purchase #{ $id } ({ $status ->
    [draft] a draft waiting for confirmation
    [pending_approval] waiting for approval
   *[other] recorded
}). Nothing new was saved.
invoice-duplicate-document = This invoice is already recorded as purchase #{ $id } (the same supplier TIN, number { $number } and date { $day }). It was not recorded twice.
invoice-not-found = This purchase is not found in your company.
invoice-not-draft = This invoice is no longer a draft, so it cannot be edited.
invoice-already-decided = Purchase #{ $id } is { $status ->
    [confirmed] already recorded
    [pending_approval] already waiting for approval
    [discarded] discarded
   *[other] no longer a draft
}; nothing was changed.

invoice-card-title = 🧾 <b>Supplier invoice</b> · draft #{ $id }
invoice-field-supplier = Supplier
invoice-field-tin = Supplier TIN
invoice-field-number = Number
invoice-field-date = Date
invoice-field-net = Without VAT
invoice-field-vat = VAT
invoice-field-total = Total
invoice-card-lines = { $count ->
    [0] No lines were read.
    [one] One line:
   *[other] Lines ({ $count }):
}
invoice-card-more-lines = { $count ->
    [one] …and one more line.
   *[other] …and { $count } more lines.
}
invoice-card-duplicate = Looks like purchase #{ $id } (same supplier TIN, number and date): confirming will be refused.
invoice-card-unread-parts = { $count ->
    [one] One file of the album could not be read.
   *[other] { $count } files of the album could not be read.
}
invoice-card-check-marked = ⚠️ marks a value read with low confidence: check it against the paper.
invoice-card-pages = { $count ->
    [one] Read from one page.
   *[other] Read from { $count } pages.
}
invoice-card-hint = Check the values, fix any with ✏️ Edit, then ✅ Confirm.
invoice-claim-line-paper = Input VAT: claimed from a paper document (counts for VAT only once the e-invoice is received).
invoice-claim-line-e_invoice = Input VAT: e-invoice (EHF) received, creditable.
invoice-claim-line-none = No VAT on this document.
invoice-flag-no-tin = The supplier’s TIN was not found: add it with Edit (9 digits).
invoice-flag-no-items = No line items were read.
invoice-flag-totals-mismatch = The lines do not add up to the total. The total is kept as printed: check it.
invoice-flag-vat-mismatch = Without VAT plus VAT is not the total. Check the figures.
invoice-flag-line-mismatch = On some lines quantity × price is not the amount.
invoice-flag-words-mismatch = The total in words differs from the total in figures.
invoice-flag-low-quality = The photo is hard to read; values may be wrong.
invoice-flag-too-many-pages = The file has too many pages: only the first ones were read.
invoice-flag-no-total = The total was not found: add it with Edit.
invoice-flag-no-date = The date was not found: add it with Edit.

btn-invoice-confirm = ✅ Confirm
btn-invoice-edit = ✏️ Edit
btn-invoice-discard = 🗑 Discard
btn-invoice-e-invoice = 🧾 E-invoice received
btn-invoice-paper = 📄 Paper only
btn-invoice-back = ⬅️ Back

invoice-edit-which = Which value do you want to fix?
invoice-ask-supplier = Type the supplier’s name.
invoice-ask-tin = Type the supplier’s TIN: 9 digits.
invoice-ask-number = Type the invoice number.
invoice-ask-date = Type the invoice date, for example 13.02.2025.
invoice-ask-net = Type the amount without VAT, for example 44 952 550.
invoice-ask-vat = Type the VAT amount (0 if there is no VAT).
invoice-ask-total = Type the total with VAT, for example 50 346 856.
invoice-edit-saved = ✅ Saved.
invoice-edit-type-it = Please type the value as text, or /cancel.
invoice-edit-expired = This edit has expired. Press ✏️ Edit on the card again.
invoice-edit-bad-tin = A TIN is exactly 9 digits and does not start with 0, for example 307500201. Type it again.
invoice-edit-bad-date = That is not a date. Type it like 13.02.2025.
invoice-edit-date-out-of-range = The date must be between { $earliest } and { $today }. Type it again.
invoice-edit-empty = The value is empty. Type it again.
invoice-edit-too-long = That is too long: at most { $limit } characters.
invoice-confirm-needs-total = The total is missing. Add it with ✏️ Edit, then confirm.
invoice-confirm-needs-date = The date is missing. Add it with ✏️ Edit, then confirm.
invoice-confirm-needs-supplier = The supplier is unknown. Add the name or TIN with ✏️ Edit, then confirm.
invoice-no-vat-to-claim = This purchase has no VAT to claim.

invoice-recorded = ✅ Purchase #{ $id } is recorded: { $total }.
invoice-pending = ⏳ Purchase #{ $id } ({ $total }) is above the approval threshold and waits for approval.
invoice-recorded-supplier = Supplier: { $name } (TIN { $tin }).
invoice-recorded-supplier-new = New supplier added: { $name } (TIN { $tin }).
invoice-recorded-lines = { $count ->
    [one] One line
   *[other] { $count } lines
}, matched to REGOS items: { $matched }.
invoice-recorded-unmatched = Not matched: { $names }{ $more ->
    [0] {""}
   *[other] {" "}(+{ $more })
}.
invoice-recorded-vat-paper = Input VAT { $vat }: claimed from a paper document; it counts in the tax report once the e-invoice is received.
invoice-recorded-vat-e_invoice = Input VAT { $vat }: e-invoice received, creditable.
invoice-recorded-vat-none = No VAT on this purchase.
invoice-sent-for-approval = Sent for approval to: { $names }.
invoice-discarded = 🗑 The draft #{ $id } is discarded. Nothing was recorded.

invoice-approval-title = 🧾 Purchase #{ $id }
invoice-fact-supplier = Supplier
invoice-fact-tin = TIN
invoice-fact-number = Number
invoice-fact-date = Date
invoice-fact-total = Total
invoice-fact-vat = VAT
invoice-fact-vat-claim = Input VAT
invoice-fact-branch = Branch
invoice-claim-paper = paper document
invoice-claim-e_invoice = e-invoice
invoice-claim-none = no VAT
invoice-status-draft = draft
invoice-status-pending_approval = waiting for approval
invoice-status-confirmed = recorded
invoice-status-discarded = discarded

invoices-title = 📥 <b>Purchases</b> · { $count ->
    [0] none
    [one] one
   *[other] { $count }
}
invoices-none = No purchases match these filters. Send a photo of a supplier invoice to record one.
invoices-totals = Recorded: { $total }, VAT { $vat }, of it on e-invoices { $evat }.
invoices-period-m = This month
invoices-period-lm = Last month
invoices-period-y = This year
invoices-period-a = All time
invoices-any-supplier = Every supplier
invoices-status-l = Recorded and waiting
invoices-status-ok = Recorded
invoices-status-p = Waiting for approval
invoices-status-x = Discarded
invoices-export-caption = { $count ->
    [one] One purchase
   *[other] { $count } purchases
}
invoices-sheet = Purchases
invoices-lines-sheet = Lines
invoices-col-date = Date
invoices-col-id = No.
invoices-col-number = Invoice number
invoices-col-supplier = Supplier
invoices-col-tin = TIN
invoices-col-net = Without VAT
invoices-col-vat = VAT
invoices-col-total = Total
invoices-col-claim = Input VAT
invoices-col-status = Status
invoices-col-line = Line
invoices-col-item = Name
invoices-col-qty = Quantity
invoices-col-price = Price
invoices-col-regos = REGOS item
invoices-total-confirmed = Total recorded
btn-invoices-threshold = ⚙️ Approval above { $amount }
invoices-ask-threshold = Above which total should a purchase wait for approval? Type the amount, for example 50 000 000.
invoices-threshold-saved = ✅ Purchases above { $amount } now wait for approval.
