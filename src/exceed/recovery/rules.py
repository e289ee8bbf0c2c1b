"""Which active rule, if any, opens a case for a stored response; the rules are cached per process."""

from django.db import connection

from exceed.core.measures import CSAT_SCALE, RETURN_SCALE, Outcome
from exceed.feedback.models import Response
from exceed.recovery.models import CaseCategory, RecoveryRule

# created_at is left deferred: it never decides a match, and SQLite's raw cursor returns it as text.
_RULE_FIELDS = [field for field in RecoveryRule._meta.concrete_fields if field.name != "created_at"]
# The translated names stay deferred too: a match needs the category's id, not its wording.
_CATEGORY_FIELDS = [field for field in CaseCategory._meta.concrete_fields if field.name != "names"]


# The database's constraints on RecoveryRule (return at most 9,
# satisfaction at most 4, expectation only "below") mean no rule can match a response that has
# nothing lower, so the best responses need no query at all.
def cannot_match_any_rule(response: Response) -> bool:
    return (
        response.expectation != Outcome.BELOW
        and response.return_likelihood in (None, RETURN_SCALE[1])
        and response.csat in (None, CSAT_SCALE[1])
    )


# (fingerprint, [(rule, category or None)]) for this process; one entry.
_rules_cache: list = [None, []]


def _active_rules() -> list[tuple[RecoveryRule, CaseCategory | None]]:
    """The active rules in order, each with the category a case it opens gets (its own, else "other").

    Building the rules through the ORM on every response was 16 % of a worker's time. One raw
    query reads every column that matters, the categories' included; the objects are rebuilt
    from those values only when they differ from what this process saw last, so a rule or
    category changed by any worker or in the admin applies to the next response.
    """
    rule_table, category_table = RecoveryRule._meta.db_table, CaseCategory._meta.db_table
    columns = [f"r.{field.column}" for field in _RULE_FIELDS] + [f"c.{field.column}" for field in _CATEGORY_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {rule_table} r LEFT JOIN {category_table} c ON c.id = "
            f"COALESCE(r.category_id, (SELECT o.id FROM {category_table} o WHERE o.code = %s)) "
            "WHERE r.active = %s ORDER BY r.id",
            ["other", True],
        )
        fingerprint = cursor.fetchall()
    if _rules_cache[0] != fingerprint:
        _rules_cache[:] = [fingerprint, [_rule_from_row(row) for row in fingerprint]]
    return _rules_cache[1]


def _rule_from_row(row: tuple) -> tuple[RecoveryRule, CaseCategory | None]:
    def build(model, fields, values):
        return model.from_db(
            connection.alias, [f.attname for f in fields], [f.to_python(v) for f, v in zip(fields, values)]
        )

    rule = build(RecoveryRule, _RULE_FIELDS, row[: len(_RULE_FIELDS)])
    category_row = row[len(_RULE_FIELDS) :]
    category = build(CaseCategory, _CATEGORY_FIELDS, category_row) if category_row[0] is not None else None
    return rule, category


def rule_and_category(
    response: Response, *, rules: list | None = None
) -> tuple[RecoveryRule, CaseCategory | None] | None:
    """``rules``: _active_rules() read once for a batch of responses, instead of once for each."""
    from exceed.recovery.followup import is_followup_survey

    if cannot_match_any_rule(response) or is_followup_survey(response.survey):
        return None  # answers about a recovery are its outcome, not a new failure
    for rule, category in _active_rules() if rules is None else rules:
        if rule.survey_id not in (None, response.survey_id) or rule.location_id not in (None, response.location_id):
            continue
        if rule.expectation_below and response.expectation == -1:
            return rule, category
        if (
            rule.return_at_most is not None
            and response.return_likelihood is not None
            and response.return_likelihood <= rule.return_at_most
        ):
            return rule, category
        if rule.csat_at_most is not None and response.csat is not None and response.csat <= rule.csat_at_most:
            return rule, category
    return None
