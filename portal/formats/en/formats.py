"""English keeps unambiguous ISO dates in lists and headers (a reader in any country reads
2026-03-04 one way); the other languages use Django's own formats (04/03/2026)."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
