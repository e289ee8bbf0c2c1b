"""The values every installation starts with; the data migration and the install services share them.

This module imports no models, so a migration may import it safely.
"""

# (code, English name) — names are shown translated while the owner has not renamed them.
CATEGORIES = [
    ("wrong-order", "Wrong order"),
    ("wait", "Wait"),
    ("product", "Product"),
    ("staff-attitude", "Staff attitude"),
    ("delivery", "Delivery"),
    ("installation", "Installation"),
    ("billing", "Billing"),
    ("other", "Other"),
]

# Hours from opening until each recovery step is due (issue 3: acknowledge 1 h, follow up 48 h).
DEADLINE_HOURS = {
    "acknowledge": 1,
    "apologise": 2,
    "fix": 24,
    "gesture": 24,
    "follow_up": 48,
}

FOLLOWUP_DELAY_HOURS = 7 * 24
LOYALTY_WINDOW_DAYS = 90

# The rule a fresh install opens cases by: expectation below, or return likelihood 0–6.
DEFAULT_RULE = {"expectation_below": True, "return_at_most": 6, "csat_at_most": None}

FOLLOWUP_SURVEY_SLUG = "recovery-followup"
