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
