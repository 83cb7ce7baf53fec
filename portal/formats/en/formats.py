# One way to write each kind of value in English, on every page, email, PDF and CSV:
# day before month and the month in words (never "12/04/2026", which a French reader
# takes for the 12th of April), a 24-hour clock as the missions' programmes use.
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
