## Approval cards (services/approvals)
approval-status-pending = ⏳ Waiting for a decision.
approval-status-approved = ✅ Approved by { $name }, { $when }.
approval-status-rejected = ❌ Rejected by { $name }, { $when }. Reason: { $reason }
approval-status-withdrawn = ↩️ Withdrawn by { $name }, { $when }.
approval-card-asked = Asked by { $name }, { $when }
approval-card-gone = Request #{ $id }: what it was about no longer exists.
approval-header-reminder = ⏰ Reminder: this has waited { $hours } { $hours ->
    [one] hour
   *[other] hours
} for your decision.
approval-header-escalation = ⚠️ Passed on to you: nobody has decided this in { $hours } { $hours ->
    [one] hour
   *[other] hours
}.
btn-approval-approve = ✅ Approve
btn-approval-reject = ❌ Reject
btn-approval-attachment = 📎 Receipt
btn-approval-withdraw = ↩️ Withdraw the request
approval-told-approved = ✅ { $title }: approved by { $name }.
approval-told-rejected = ❌ { $title }: rejected by { $name }. Reason: { $reason }

## Deciding
approval-done-approved = Approved.
approval-done-rejected = Rejected. The person who asked has been told why.
approval-done-withdrawn = Request withdrawn.
approval-ask-reason = Why do you reject { $title }? Send the reason in one message; the person who asked will read it. /cancel to keep it waiting.
approval-reason-needed = Send the reason as text: the person who asked will read it.
approval-reason-too-long = The reason is too long: { $limit } characters at most.
approval-already-approved = Already decided: approved by { $name }, { $when }.
approval-already-rejected = Already decided: rejected by { $name }, { $when }.
approval-already-withdrawn = This request was withdrawn by { $name }, { $when }.
approval-not-found = This request does not exist, or it is not your company's.
approval-object-gone = What this request was about no longer exists; nothing was changed.
approval-refused-role = You may not decide this. It is for: { $roles }.
approval-refused-own = You cannot decide your own request: someone above you does.
approval-refused-branch = This request is for a branch you do not work with.
approval-refused-limit = The amount is above what your role may approve; the owner decides it.
approval-withdraw-not-yours = Only the person who asked can withdraw a request.
approval-no-attachment = Nothing is attached to this request.

## /approvals
cmd-approvals = requests waiting for your decision
approvals-title = { $count ->
    [one] <b>{ $count } request</b> waits for your decision, oldest first:
   *[other] <b>{ $count } requests</b> wait for your decision, oldest first:
}
approvals-empty = Nothing is waiting for your decision.
approvals-page = Page { $page } of { $pages }

## Main menu
menu-approvals = ✅ Approvals
