# Bitta biznes — botda bitta kompaniya (11-masala, 4-band).
error-tin-taken = { $tin } STIR botdagi kompaniyaga tegishli. Ikkinchi kompaniya ochish oʻrniga uning egasidan sizni taklif qilishini soʻrang (uning chatida /invite).
error-regos-key-taken = Bu REGOS hisobi botdagi kompaniyaga tegishli. Uning egasidan sizni taklif qilishini soʻrang (uning chatida /invite): ikkinchi kompaniya xuddi shu hisobni ulay olmaydi.
