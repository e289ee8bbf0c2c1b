import json

import pytest

from exceed.api.models import ApiToken
from exceed.errors import DomainError
from exceed.recovery.identity import customer_hash
from exceed.recovery.importers import visits_import
from exceed.recovery.models import TillVisit

HEADER = "external_id,location,visited_at,customer_ref,amount,served_by\n"


def test_posting_the_same_visit_twice_stores_it_once(cast, client):
    _token, key = ApiToken.issue(user=cast.manager)
    body = {
        "external_id": "TILL-1",
        "location": "cph",
        "visited_at": "2025-03-01T12:00:00+01:00",
        "customer_ref": "Card 4711",
        "amount": "12.50",
    }
    first = client.post(
        "/api/v1/visits", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    again = client.post(
        "/api/v1/visits", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and again.json()["created"] is False
    visit = TillVisit.objects.get()
    # Only the salted hash of the customer reference is stored.
    assert visit.customer_hash == customer_hash("card 4711") and "4711" not in visit.customer_hash


def test_a_manager_cannot_record_a_visit_for_another_location(cast, client):
    _token, key = ApiToken.issue(user=cast.manager)
    body = {"external_id": "TILL-2", "location": "par", "visited_at": "2025-03-01T12:00:00Z", "customer_ref": "C"}
    answer = client.post(
        "/api/v1/visits", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    # Refused as every other write for a location outside the token's scope (exceed.org.lookups).
    assert answer.status_code == 403 and answer.json()["field"] == "location" and not TillVisit.objects.exists()


def test_an_unknown_location_code_for_a_visit_is_the_clients_mistake(cast, client):
    _token, key = ApiToken.issue(user=cast.owner)
    body = {"external_id": "TILL-3", "location": "nowhere", "visited_at": "2025-03-01T12:00:00Z", "customer_ref": "C"}
    answer = client.post(
        "/api/v1/visits", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert answer.status_code == 400 and answer.json()["field"] == "location"


@pytest.mark.parametrize("amount", ["1e12", "10000000000", "NaN", "Infinity"])
def test_an_amount_too_large_for_the_column_is_refused_in_words(cast, client, amount):
    _token, key = ApiToken.issue(user=cast.owner)
    body = {
        "external_id": "TILL-4",
        "location": "cph",
        "visited_at": "2025-03-01T12:00:00Z",
        "customer_ref": "C",
        "amount": amount,
    }
    answer = client.post(
        "/api/v1/visits", json.dumps(body), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    assert 400 <= answer.status_code < 500 and not TillVisit.objects.exists()


def test_the_largest_amount_the_column_holds_is_stored(cast):
    from exceed.recovery.visits import visit_record
    from tests.conftest import at

    visit, created = visit_record(
        external_id="BIG", location=cast.cph, visited_at=at(2025, 3, 1), customer_ref="C", amount="9999999999.99"
    )
    visit.refresh_from_db()
    assert created and str(visit.amount) == "9999999999.99"


def test_importing_visits_is_idempotent(cast, tmp_path):
    cast.anders.external_ref = "E-17"
    cast.anders.save()
    path = tmp_path / "visits.csv"
    path.write_text(
        HEADER + "V1,cph,2025-03-01T12:00:00+01:00,card-1,12.50,E-17\nV2,aar,2025-03-02T09:30:00Z,card-2,,\n"
    )
    first = visits_import(path)
    second = visits_import(path)
    assert (first.created, first.skipped, second.created, second.skipped) == (2, 0, 0, 2)
    assert TillVisit.objects.get(external_id="V1").served_by == cast.anders


@pytest.mark.parametrize(
    "rows, where",
    [
        ("V1,cph,2025-03-01T12:00:00Z,c1,,\nV2,xxx,2025-03-01T12:00:00Z,c2,,\n", "visits.csv line 3, column location"),
        ("V1,cph,yesterday,c1,,\n", "visits.csv line 2, column visited_at"),
        ("V1,cph,2025-03-01T12:00:00,c1,,\n", "visits.csv line 2, column visited_at"),
        ("V1,cph,2025-03-01T12:00:00Z,c1,twelve,\n", "visits.csv line 2, column amount"),
        ("V1,cph,2025-03-01T12:00:00Z,,,\n", "visits.csv line 2, column customer_ref"),
        (
            "V1,cph,2025-03-01T12:00:00Z,c1,,\nV1,cph,2025-03-01T13:00:00Z,c1,,\n",
            "visits.csv line 3, column external_id",
        ),
        ("V1,par,2025-03-01T12:00:00Z,c1,,NOBODY\n", "visits.csv line 2, column served_by"),
    ],
)
def test_a_bad_row_names_its_line_and_column_and_nothing_is_imported(cast, tmp_path, rows, where):
    path = tmp_path / "visits.csv"
    path.write_text(HEADER + rows)
    with pytest.raises(DomainError) as error:
        visits_import(path)
    assert error.value.message.startswith(where)
    assert not TillVisit.objects.exists()


def test_a_file_without_the_required_columns_is_refused(cast, tmp_path):
    path = tmp_path / "visits.csv"
    path.write_text("id,where\n1,cph\n")
    with pytest.raises(DomainError, match="visits.csv line 1, column external_id"):
        visits_import(path)


def test_the_exceed_command_imports_visits(cast, tmp_path, capsys):
    from exceed.cli import cmd_import

    path = tmp_path / "visits.csv"
    path.write_text(HEADER + "V9,cph,2025-03-01T12:00:00Z,card-9,,\n")

    class Args:
        kind, file = "visits", str(path)

    assert cmd_import(Args()) == 0
    assert "1 created" in capsys.readouterr().out
    assert TillVisit.objects.filter(external_id="V9").exists()
