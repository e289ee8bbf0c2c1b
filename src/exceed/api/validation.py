"""pydantic's validation errors in the caller's language.

pydantic words its errors in English ("Input should be less than or equal to 50"); the API
answers in the language the request asks for (Accept-Language), as the pages do. The common
kinds map to Django's own form messages, which Django already translates into every language we
speak; any other kind keeps pydantic's wording, and our own checks (``exceed.api.types``) raise
messages that are translated already.
"""

from django.utils.translation import gettext

_PLAIN = {
    "missing": "This field is required.",
    "int_parsing": "Enter a whole number.",
    "int_type": "Enter a whole number.",
    "int_from_float": "Enter a whole number.",
    "float_parsing": "Enter a number.",
    "decimal_parsing": "Enter a number.",
    "date_parsing": "Enter a valid date.",
    "date_from_datetime_parsing": "Enter a valid date.",
    "date_from_datetime_inexact": "Enter a valid date.",
    "date_type": "Enter a valid date.",
    "datetime_parsing": "Enter a valid date/time.",
    "datetime_from_date_parsing": "Enter a valid date/time.",
    "datetime_type": "Enter a valid date/time.",
    "string_pattern_mismatch": "Enter a valid value.",
}
_LIMITS = {
    "less_than_equal": ("le", "Ensure this value is less than or equal to %(limit_value)s."),
    "greater_than_equal": ("ge", "Ensure this value is greater than or equal to %(limit_value)s."),
    "less_than": ("lt", "Ensure this value is less than %(limit_value)s."),
    "greater_than": ("gt", "Ensure this value is greater than %(limit_value)s."),
}


def validation_message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"])
    if kind in _PLAIN:
        return gettext(_PLAIN[kind])
    if kind in _LIMITS and _LIMITS[kind][0] in ctx:
        key, message = _LIMITS[kind]
        return gettext(message) % {"limit_value": ctx[key]}
    # ninja leaves the input out of its errors, so a length can be named but not counted.
    if kind == "string_too_long" and "max_length" in ctx:
        return gettext("Too long: at most %(limit)s characters.") % {"limit": ctx["max_length"]}
    if kind == "string_too_short" and ctx.get("min_length") == 1:
        return gettext("This field cannot be blank.")
    return error.get("msg", "Invalid input")
