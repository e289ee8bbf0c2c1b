"""Date and time formats where Django's own differ from what readers of each language expect
(issue 8, item 6): FORMAT_MODULE_PATH points here, and every name not set falls back to Django's
locale. Templates use the names (``|date:"DATE_FORMAT"``), never a pattern of their own.

- fi, et: 30.11.2026 (Django's Finnish DATE_FORMAT spells the month out; Estonian has no
  DATETIME_FORMAT at all and would fall back to the English "Nov. 30, 2026, 2 p.m.").
- da: 30. nov. 2026; fr: 30 nov. 2026 (``N``, the month's abbreviation with its full stop where
  the language writes one: "marts", "mai" are not shortened).
"""
