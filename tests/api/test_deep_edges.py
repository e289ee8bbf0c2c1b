"""Issue 7, item 4: the fuzzer rarely gets past the codes a request must name, so each writing
operation is also tried from a valid request with one string field at a time made too long,
control-laden or NUL-bearing. None may be a 500 on PostgreSQL, which enforces column lengths and
refuses NUL where SQLite stores anything."""

import pytest
from django.db import transaction

from exceed.recovery.models import CaseCategory
from tests.recovery.factories import staff_case

ODD = {
    "long": "x" * 3000,
    "nul": "a\x00b",
    "control": "a\x07\x1bb",
    "huge_number": str(2**70),
}


def _bodies(cast):
    CaseCategory.objects.get_or_create(code="wrong-order", defaults={"name": "Wrong order"})
    case = staff_case(cast)
    return {
        ("post", "/locations"): {
            "code": "new",
            "name": "New",
            "region": "north",
            "region_name": "North",
            "timezone": "UTC",
            "default_language": "en",
            "address": "",
        },
        ("patch", "/locations/cph"): {
            "name": "Copenhagen",
            "timezone": "Europe/Copenhagen",
            "default_language": "da",
            "address": "",
        },
        ("post", "/people"): {"name": "Ida", "locations": ["cph"], "email": "", "job_role": "", "external_ref": "E1"},
        ("post", "/responses"): {
            "location": "cph",
            "survey": "visit",
            "touchpoint": "in-store",
            "language": "da",
            "transaction_ref": "T",
            "external_id": "X1",
            "answers": {"return": 3, "expectation": "below", "difference": "slow", "contact": "yes"},
            "contact": {"email": "k@example.com", "phone": "1"},
        },
        ("post", "/invitations"): {
            "email": "k@example.com",
            "location": "cph",
            "touchpoint": "in-store",
            "language": "da",
            "transaction_ref": "T",
            "survey": "visit",
        },
        ("post", "/cases"): {
            "location": "cph",
            "category": "wrong-order",
            "summary": "Slow",
            "touchpoint": "in-store",
            "severity": "medium",
            "source": "api",
            "description": "",
            "consent": True,
            "contact_name": "K",
            "contact_email": "k@example.com",
            "contact_phone": "1",
            "language": "da",
            "customer_ref": "C",
        },
        ("post", f"/cases/{case.pk}/steps"): {
            "kind": "acknowledge",
            "note": "",
            "gesture_given": "",
            "gesture_value": "1.00",
        },
        ("post", f"/cases/{case.pk}/close"): {"reason": "Done"},
        ("post", "/recovery-rules"): {
            "expectation_below": True,
            "survey": "visit",
            "location": "cph",
            "category": "wrong-order",
            "severity": "high",
        },
        ("post", "/visits"): {
            "external_id": "V1",
            "location": "cph",
            "visited_at": "2025-03-01T12:00:00Z",
            "customer_ref": "C",
            "amount": "1.00",
        },
    }


def _string_fields(body, prefix=""):
    for name, value in body.items():
        if isinstance(value, dict):
            yield from _string_fields(value, f"{prefix}{name}.")
        elif isinstance(value, str):
            yield f"{prefix}{name}"


def _with(body, dotted, value):
    body = {**body}
    head, _, rest = dotted.partition(".")
    body[head] = _with(body[head], rest, value) if rest else value
    return body


@pytest.mark.parametrize("odd", ODD)
def test_no_string_field_of_a_valid_write_is_a_server_error(cast, api_as, odd):
    api = api_as("owner")
    failures = []
    for (method, path), body in _bodies(cast).items():
        for field in _string_fields(body):
            # Each try starts from the same rows: a success must not turn the next into a duplicate.
            with transaction.atomic():
                answer = getattr(api, method)(path, _with(body, field, ODD[odd]))
                transaction.set_rollback(True)
            if answer.status_code >= 500:
                failures.append(f"{method.upper()} {path} {field}={odd}: {answer.status_code}")
            elif answer.status_code >= 400:
                assert answer.json().get("detail"), (path, field)
    assert failures == []
