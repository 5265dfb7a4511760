"""English for an international reader (the sheet's default, on A4): dates in ISO form, which no reader misreads.
US English (en-us, on Letter) keeps Django's month-first dates (configurator/formats/en_US)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
