# One business, one company in the bot (issue 11, item 4).
error-tin-taken = The TIN { $tin } already belongs to a company in the bot. Ask its owner to invite you (/invite in their chat) instead of creating a second company.
error-regos-key-taken = This REGOS account already belongs to a company in the bot. Ask its owner to invite you (/invite in their chat); a second company cannot connect the same account.
