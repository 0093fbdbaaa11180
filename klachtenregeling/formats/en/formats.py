"""English date formats in the same order as the Dutch ones ("8 May 2026", "29 Mar 2026 14:30")."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
