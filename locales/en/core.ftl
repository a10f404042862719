## Language and onboarding
choose-language = Choose your language / Tilni tanlang / Выберите язык
language-set = Language set: English.
welcome-new =
    Welcome to Smart Savdo, { $name }!
    I run a shop's day-to-day in this chat: sales from the REGOS cash registers (today, any period, a daily summary) and answers to questions about them in plain words; expenses and cash registers with approvals; supplier invoices read from a photo; payroll and tax report drafts. Your staff join by invite links, each with their own role.

    You are not in a company yet. Create your company, or open the invite link your manager sent you.
welcome-back = Welcome back, { $name }! Active company: <b>{ $company }</b> ({ $role }).
btn-create-company = Create a company
create-ask-name = What is the company called? Send its name (up to 128 characters).
create-ask-tin = Send the company's TIN (STIR): exactly 9 digits.
create-ask-timezone = Choose the company's time zone, or send its name (for example Asia/Tashkent).
create-ask-regime = Which tax regime is the company on?
btn-regime-turnover = Turnover tax
btn-regime-vat = VAT (general regime)
create-done =
    Company <b>{ $company }</b> is created and you are its owner.
    TIN: { $tin }
    Time zone: { $timezone }

    Next: invite your staff with /invite.
btn-cancel = Cancel
cancelled = Cancelled. Nothing was changed.
press-a-button = Please choose with the buttons above, or send /cancel.

## Invites
invite-choose-role = Which role will the new member have?
invite-choose-branch = Which branch will they work in?
btn-all-branches = All branches
all-branches = all branches
invite-created =
    The invite is ready. Role: <b>{ $role }</b>, branches: { $branch }. It works once and expires on { $expires }.

    Send this link to the person:
    { $link }
invite-joined = You have joined <b>{ $company }</b>. Your role: { $role }.
btn-share-invite = 📤 Share the invite
invite-share-text = Join { $company } in Smart Savdo
invite-joined-owner = 👋 { $name } joined <b>{ $company }</b> through an invite. Role: { $role }.
invite-not-found = This invite link is not valid. Ask for a new one.
invite-used = This invite has already been used. Ask for a new one.
invite-expired = This invite has expired. Ask for a new one.
invite-company-gone = The company of this invite no longer exists.
invite-already-member = You are already a member of <b>{ $company }</b>.

## Members
members-title = Members of <b>{ $company }</b>: { $count }
member-line = { $name } — { $role } ({ $branches })
member-card =
    <b>{ $name }</b>
    Role: { $role }
    Branches: { $branches }
btn-change-role = Change role
btn-remove = Remove
btn-done = ✅ Done
btn-back = Back
member-choose-role = Choose the new role for { $name }:
member-remove-confirm = Remove { $name } from the company?
btn-confirm-remove = Yes, remove
member-removed = { $name } was removed from the company.
member-role-changed = { $name } has a new role: { $role }.
member-you = (you)
member-only-owner = This is the company's only owner. A company must keep one, so this role cannot change and this member cannot be removed. To hand the company over, first make someone else an owner (invite them with /invite).

## Company switching
company-choose = Choose the active company:
company-switched = Active company: <b>{ $company }</b> ({ $role }).
company-none = You are not a member of any company yet. Send /start.

## Roles
role-owner = owner
role-manager = manager
role-accountant = accountant
role-cashier = cashier
role-warehouse = storekeeper
role-agent = sales agent
role-staff = staff

## Commands and help
help-title = Commands for you ({ $role }):
help-no-company = Commands you can use now:
cmd-start = start or restart
cmd-help = what I can do
cmd-lang = change language
cmd-company = switch the active company
cmd-invite = invite a member
cmd-members = members and roles
cmd-cancel = cancel the current action

## Main menu buttons
menu-today = 📊 Today
menu-sales = 📈 Sales
menu-sync = 🔄 Sync
menu-settings = ⚙️ Settings
menu-regos = 🔌 REGOS
menu-invite = ➕ Invite
menu-members = 👥 Members
menu-company = 🏢 Company
menu-language = 🌐 Language
menu-help = ❓ Help

## Errors
error-generic = Something went wrong on our side and nothing was changed. Please try again in a minute. (ref { $ref })
error-busy = The bot is busy right now and nothing was changed. Please try again in a few seconds.
error-no-permission = Your role does not allow this. If you need it, ask the company owner.
error-not-found = Not found.
error-invalid = This value is not valid.
error-no-company = You are not in a company yet. Send /start to create one or use an invite link.
error-not-your-company = That company is not among yours.
error-role-not-assignable = You cannot give the role "{ $role }".
error-branch-not-yours = That branch is not in your company.
error-unknown-language = Unknown language.
error-stale-button = This button is out of date. Open the menu again.
error-no-permission-roles = Your role does not allow this. It is for: { $roles }. If you need it, ask the company owner to change your role.
error-button-other-company = This button was made for another company. Switch to it with /company, or open the menu again.
error-step-over = This step is over, and nothing was changed. Start again with the command if you need to.
error-member-not-found = This member is not in your company.
error-last-owner = A company must keep at least one owner. Make someone else an owner first.
error-tin-format = A TIN must be exactly 9 digits, for example 305123456. Try again.
error-company-name = The name must be 1 to { $max } characters and must not start with "/". Try again.
error-timezone = "{ $value }" is not a time zone I know. Choose a button or send a name like Asia/Tashkent.
unknown-command = I don't know the command { $command }. Send /help for the list.
not-understood = I didn't understand that. Use the menu below or send /help.
not-a-file-yet = I read photos and PDF files of supplier invoices for an owner, a manager, an accountant or a storekeeper of a company; a receipt for an expense goes with /expense. Otherwise ask with a command: /today for today's sales, /sales for any period, /help for the rest.

## /mysales
cmd-mysales = my own sales
menu-mysales = 🧾 My sales
mysales-title = 🧾 <b>Your sales</b> as { $seller } in <b>{ $company }</b>
mysales-today = Today: <b>{ $net }</b>, { $receipts ->
    [one] { $receipts_text } receipt
   *[other] { $receipts_text } receipts
}, returns { $returns }
mysales-month = This month: <b>{ $net }</b>, { $receipts ->
    [one] { $receipts_text } receipt
   *[other] { $receipts_text } receipts
}, returns { $returns }
mysales-not-linked = You are not linked to a seller in REGOS yet, so I cannot tell which sales are yours. Ask the company owner to link you in /regos → Employees.
