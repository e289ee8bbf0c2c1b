import pytest
from django.db import IntegrityError, transaction

from exceed.errors import DomainError
from exceed.recovery.models import RecoveryRule
from exceed.recovery.services import rule_save


@pytest.mark.parametrize(
    "values, field",
    [
        ({"return_at_most": 11}, "return_at_most"),
        ({"return_at_most": 10}, "return_at_most"),  # every answer would open a case
        ({"csat_at_most": 0}, "csat_at_most"),
        ({"csat_at_most": 7}, "csat_at_most"),
        ({}, "expectation_below"),
    ],
)
def test_a_rule_with_an_impossible_threshold_is_refused_with_a_clear_error(cast, values, field):
    before = RecoveryRule.objects.count()
    with pytest.raises(DomainError) as error:
        rule_save(**values)
    assert error.value.field == field and error.value.message
    assert RecoveryRule.objects.count() == before


def test_the_database_refuses_an_impossible_rule_whatever_writes_it(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        RecoveryRule.objects.create(return_at_most=12)


def test_the_owner_edits_rules_on_the_rule_page_and_sees_errors_in_words(cast, client):
    client.force_login(cast.owner)
    refused = client.post(
        "/recovery/rules/", {"form": "rule", "return_at_most": "11", "severity": "medium", "active": "on"}
    )
    assert refused.status_code == 400
    assert "choose a threshold from 0 to 9" in refused.content.decode()
    saved = client.post(
        "/recovery/rules/",
        {"form": "rule", "csat_at_most": "2", "location": cast.par.pk, "severity": "high", "active": "on"},
    )
    assert saved.status_code == 302
    rule = RecoveryRule.objects.get(csat_at_most=2)
    assert (rule.location, rule.severity, rule.active) == (cast.par, "high", True)
    timings = client.post(
        "/recovery/rules/",
        {"form": "settings", "followup_delay_hours": "72", "loyalty_window_days": "60", "digest_minutes": "15"},
    )
    assert timings.status_code == 302
    from exceed.recovery.services import settings_get

    assert (settings_get().followup_delay_hours, settings_get().loyalty_window_days) == (72, 60)
    assert settings_get().digest_minutes == 15


def test_a_rule_for_one_location_opens_cases_only_there(cast, django_capture_on_commit_callbacks):
    from exceed.recovery.models import RecoveryCase
    from tests.recovery.factories import low_response

    RecoveryRule.objects.update(active=False)
    rule_save(expectation_below=True, location=cast.par)
    with django_capture_on_commit_callbacks(execute=True):
        low_response(cast, location=cast.cph)
        paris = low_response(cast, location=cast.par)
    assert list(RecoveryCase.objects.values_list("response", flat=True)) == [paris.pk]
