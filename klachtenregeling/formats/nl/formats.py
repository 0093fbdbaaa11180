"""Dutch date formats: month names in lower case ("8 mei 2026", "8 mei 2026 14:30"), also in the
short form of the back office's tables and timelines ("29 mrt 2026")."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j b Y"
SHORT_DATETIME_FORMAT = "j b Y H:i"
