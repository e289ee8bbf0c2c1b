"""Issue 7, item 4: a NUL in an imported file, or an answer dated year 1, is refused naming the
line and column, and nothing is stored (PostgreSQL cannot store a NUL; SQLite stored it)."""

import json

from exceed.feedback.models import Response
from exceed.org.models import Location, Person
from exceed.recovery.models import TillVisit


def test_a_nul_in_a_csv_cell_names_its_line_and_column(cast, exceed, write):
    """Reproducer: `exceed import locations` of a file whose name cell holds a NUL crashed with
    DataError on PostgreSQL and stored it on SQLite."""
    text = "code,name,region\node,Odense,north\nvej,Vej\x00le,north\n"
    status, _out, err = exceed("import", "locations", write("locations.csv", text))
    assert status == 1
    assert "locations.csv line 3, column name" in err and "NUL" in err
    assert not Location.objects.filter(code__in=["ode", "vej"]).exists()


def test_a_nul_in_an_ndjson_answer_names_the_answer(cast, exceed, write):
    good = {
        "external_id": "n-1",
        "survey": "visit",
        "location": "cph",
        "submitted_at": "2026-03-01T10:00:00+01:00",
        "answers": {"return": 9, "expectation": "met"},
    }
    bad = {**good, "external_id": "n-2", "answers": {"return": 9, "expectation": "met", "difference": "a\x00b"}}
    status, _out, err = exceed(
        "import", "responses", write("responses.ndjson", json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    )
    assert status == 1
    assert "responses.ndjson line 2, column answers.difference" in err
    assert not Response.objects.exists()


def test_a_response_dated_year_1_is_refused_naming_its_line(cast, exceed, write):
    """Reproducer: `exceed import responses` of a row submitted at 0001-01-01T00:00:00+00:00 was
    accepted (or an OverflowError turning it into the store's local day)."""
    text = (
        "external_id,survey,location,submitted_at,return,expectation\nold-1,visit,cph,0001-01-01T00:00:00+00:00,9,met\n"
    )
    status, _out, err = exceed("import", "responses", write("responses.csv", text))
    assert status == 1
    assert "responses.csv line 2, column submitted_at" in err and "2000-01-01" in err
    assert not Response.objects.exists()


def test_a_control_character_in_an_employee_number_is_refused_naming_line_and_column(cast, exceed, write):
    """Reproducer: `exceed import people` stored the employee number "E\\x0742" with its bell."""
    text = "name,locations,employee_number\nIda,cph,E\x0742\n"
    status, _out, err = exceed("import", "people", write("people.csv", text))
    assert status == 1
    assert "people.csv line 2, column employee_number" in err
    assert not Person.objects.filter(name="Ida").exists()


def test_a_control_character_in_a_responses_external_id_is_refused(cast, exceed, write):
    text = "external_id,survey,location,submitted_at,return,expectation\nTILL\x0b1,visit,cph,2026-03-01T10:00:00+01:00,9,met\n"
    status, _out, err = exceed("import", "responses", write("responses.csv", text))
    assert status == 1
    assert "responses.csv line 2, column external_id" in err
    assert not Response.objects.exists()


def test_a_control_character_in_a_visits_customer_reference_is_refused(cast, exceed, write):
    text = "external_id,location,visited_at,customer_ref\nV-1,cph,2025-03-01T12:00:00Z,Card\x1b4711\n"
    status, _out, err = exceed("import", "visits", write("visits.csv", text))
    assert status == 1
    assert "customer_ref" in err
    assert not TillVisit.objects.exists()


def test_a_visit_in_the_future_is_refused_naming_its_line(cast, exceed, write):
    """Reproducer: `exceed import visits` stored a visit dated 2031-01-01."""
    text = "external_id,location,visited_at,customer_ref\nV-1,cph,2031-01-01T12:00:00Z,Card 4711\n"
    status, _out, err = exceed("import", "visits", write("visits.csv", text))
    assert status == 1
    assert "line 2, column visited_at" in err
    assert not TillVisit.objects.exists()
