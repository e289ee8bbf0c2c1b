"""Display names in the reader's language for rows whose defaults ship with Exceed."""

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from exceed.recovery.defaults import CATEGORIES

_DEFAULT_NAMES = dict(CATEGORIES)
# The built-in names, marked for translation here because the data migration cannot translate.
_TRANSLATED = {
    "wrong-order": _("Wrong order"),
    "wait": _("Wait"),
    "product": _("Product"),
    "staff-attitude": _("Staff attitude"),
    "delivery": _("Delivery"),
    "installation": _("Installation"),
    "billing": _("Billing"),
    "other": _("Other"),
}


def category_label(category) -> str:
    """The owner's name in the reader's language, if given; a built-in category is translated
    until the owner renames it; then it shows the owner's name."""
    own = (category.names or {}).get(get_language() or "en") if "names" not in category.get_deferred_fields() else None
    if own:
        return own
    if category.code in _TRANSLATED and category.name == _DEFAULT_NAMES.get(category.code):
        return str(_TRANSLATED[category.code])
    return category.name


def rule_label(rule) -> str:
    conditions = []
    if rule.expectation_below:
        conditions.append(gettext("expectation below"))
    if rule.return_at_most is not None:
        conditions.append(gettext("return likelihood ≤ %(n)s") % {"n": rule.return_at_most})
    if rule.csat_at_most is not None:
        conditions.append(gettext("satisfaction ≤ %(n)s") % {"n": rule.csat_at_most})
    where = rule.location.name if rule.location_id else gettext("all locations")
    survey = str(rule.survey) if rule.survey_id else gettext("all surveys")
    # Outside the f-string, or makemessages cannot see the word.
    joiner = gettext(" or ")
    return f"{joiner.join(conditions)} · {where} · {survey}"
