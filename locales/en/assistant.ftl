## The assistant: questions answered over the company's own data
cmd-ask = ask about your business
ai-period = { $first } – { $last }
ai-sales =
    📊 <b>{ $period }</b>{ $scope }
    Net sales: <b>{ $net }</b>
    Retail: { $retail } · wholesale: { $wholesale }
    Returns: { $returns }
    { $receipts ->
        [one] { $receipts } receipt
       *[other] { $receipts } receipts
    }, average { $average }
ai-sales-change = Before ({ $previous_period }): { $previous }
ai-payment-row = • { $name }: { $amount }
ai-top-branches = 🏬 <b>Branches by sales, { $period }</b>
ai-top-branches-bottom = 🏬 <b>Branches with the lowest sales, { $period }</b>
ai-top-products = 📦 <b>Top products, { $period }</b>
ai-top-products-bottom = 📦 <b>Products that sold least, { $period }</b>
ai-top-sellers = 👤 <b>Sellers by sales, { $period }</b>
ai-top-sellers-bottom = 👤 <b>Sellers with the lowest sales, { $period }</b>
ai-row = { $place }. { $name }: { $amount }
ai-seller = 👤 <b>{ $name }</b>, { $period }: { $net }, { $receipts ->
        [one] { $receipts } receipt
       *[other] { $receipts } receipts
    }
ai-product = 📦 <b>{ $name }</b>, { $period }: { $quantity } sold for { $amount }
ai-stock = 📦 <b>Stock on hand</b>
ai-low-stock = ⚠️ <b>Below the minimum</b>
ai-stock-row = • { $name }: { $quantity } { $unit }
ai-low-stock-row = • { $name }: { $quantity } { $unit } (minimum { $minimum })
ai-nothing = Nothing found.
ai-missing = ⚠️ Not imported yet, so not counted: { $days }
ai-cut-at-today = Counted up to today.
ai-future = I cannot know sales for days that have not come yet. Ask about today or earlier days.
ai-secret = I never show keys, passwords or other secrets.
ai-not-yet = I cannot answer questions about that yet. Open the feature from the menu.
ai-refused = That is not for your role. Only { $roles } may see it.
ai-unknown =
    I did not understand the question. I can answer, for example:
    • how much did we sell yesterday
    • which branch sold the least this week
    • top 5 products this month
    • sales last 7 days
    • low stock
ai-empty = Type a question, for example: sales yesterday.
ai-error-period-order = The period ends before it starts.
ai-error-future = That period has not come yet.
ai-error-period-too-long = That period is too long.
ai-error-unknown-branch = That branch is not one you may see.
ai-error-unknown-tool = I cannot do that.
ai-all-branches = all branches
cmd-forecast = sales forecast
cmd-advice = advice: reorder, dead stock, who falls behind
cmd-ailog = the assistant's log and feedback
ai-payments = 💳 <b>By payment type, { $period }</b>
ai-payments-total = Together: <b>{ $total }</b> of { $net } net sales
ai-expenses = 🧾 <b>Expenses, { $period }</b>: { $count ->
        [one] { $count } approved
       *[other] { $count } approved
    }, { $amount }
ai-expenses-pending = ⏳ Waiting for approval: { $count ->
        [one] { $count } expense
       *[other] { $count } expenses
    }, { $amount }
ai-cash = 💵 <b>Cash registers now: { $total }</b>
ai-payroll = 💼 <b>Payroll, { $month }</b> ({ $status }): { $employees ->
        [one] { $employees } employee
       *[other] { $employees } employees
    }
    Gross: { $gross } · net: <b>{ $net }</b>
    Income tax: { $pit } · social tax: { $social }
    Commissions: { $commissions }
ai-payroll-status-draft = draft
ai-payroll-status-pending-approval = waiting for approval
ai-payroll-status-approved = approved
ai-payroll-status-paid = paid
ai-forecast = 📈 <b>Forecast, { $target }, { $period }</b>
    Likely between <b>{ $low }</b> and <b>{ $high }</b> (about { $point })
ai-forecast-row = • { $day }: { $low } – { $high }
ai-forecast-method-holt-winters = Holt-Winters with a weekly season, over { $days ->
        [one] { $days } day
       *[other] { $days } days
    } of history; the range holds 8 times in 10.
ai-forecast-method-holt = A damped trend (too little history for a weekly season), over { $days ->
        [one] { $days } day
       *[other] { $days } days
    } of history; the range holds 8 times in 10.
ai-forecast-backtest = Error on the last week held out: { $error }%
ai-forecast-filled = { $days ->
        [one] { $days } day not imported was filled from the same weekday.
       *[other] { $days } days not imported were filled from the same weekday.
    }
ai-forecast-short = Too little history to forecast: { $have ->
        [one] { $have } day
       *[other] { $have } days
    } imported, at least { $need } are needed.
ai-advice = 💡 <b>Advice</b> (demand over the last { $days ->
        [one] { $days } day
       *[other] { $days } days
    })
ai-advice-reorder = 🛒 <b>Reorder</b> (delivery takes { $days ->
        [one] { $days } day
       *[other] { $days } days
    }):
ai-advice-reorder-row = • { $name }: { $on_hand } { $unit } on hand, { $daily } a day → order about { $order }
ai-advice-dead = 💤 <b>On hand but unsold for { $days ->
        [one] { $days } day
       *[other] { $days } days
    }</b>:
ai-advice-overstock = 📦 <b>Overstock</b> (more than 90 days of demand):
ai-advice-overstock-row = • { $name }: days of stock on hand: { $days }
ai-advice-branches = 📉 <b>Branches behind the week before</b>:
ai-advice-sellers = 📉 <b>Sellers behind the week before</b>:
ai-advice-behind-row = • { $name }: { $net } against { $before } (−{ $drop }%)
ai-advice-returns = ↩️ Returns this week are { $share }% of sales ({ $amount }), usually { $usual }%.
ai-advice-none = Nothing needs attention now.
ai-model-fallback = ℹ️ The model did not answer properly, so this is the offline answer.
ai-quota-spent = ℹ️ Today's model quota is used up, so this is the offline answer.
ai-error-unknown-product = That product is not in the catalogue.
ai-error-payroll-scope = Payroll is company-wide: it is not shown to people who see only some branches.
ai-feedback-up = 👍
ai-feedback-down = 👎
ai-feedback-thanks = Thank you for the feedback.
ai-feedback-why = What was wrong?
ai-reason-wrong = Wrong figure
ai-reason-misunderstood = Misunderstood
ai-reason-incomplete = Incomplete
ai-reason-other = Something else
ai-example-1 = sales yesterday
ai-example-2 = which branch sold least this week
ai-example-3 = top 5 products this month
ai-example-4 = forecast next 7 days
ai-example-5 = advice
ai-log-title = 🗒 <b>Assistant log</b>: the last { $count ->
        [one] { $count } question
       *[other] { $count } questions
    } · 👍 { $up } · 👎 { $down }
ai-log-row = { $mark } <i>{ $question }</i> → { $tools } ({ $path }, { $ms } ms)
ai-log-empty = No questions asked yet.
ai-forecast-usage = Forecast for a product: /forecast product name. For a branch: /forecast branch name.
