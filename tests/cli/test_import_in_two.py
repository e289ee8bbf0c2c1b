"""A big file is checked by two processes at once (issue 11, item 7): this process takes some
thousands of lines, a forked copy the others, and the parts meet before anything is written.
Here every file counts as big and a "thousand" is three lines, so the parts alternate often."""

import json

import pytest

from exceed.core import forked
from exceed.feedback import importers
from exceed.feedback.models import Answer, Response
from exceed.feedback.rollup import rollup_rebuild

from .test_import_responses import measures, named_anders, ndjson_lines

pytestmark = pytest.mark.skipif(not forked.available(), reason="this system cannot fork")


@pytest.fixture
def in_two(monkeypatch):
    monkeypatch.setattr(importers, "CHECK_IN_TWO_FROM", 0)
    monkeypatch.setattr(importers, "BATCH", 3)


def bad(line_id, **changes):
    record = {
        "external_id": line_id,
        "survey": "visit",
        "location": "cph",
        "submitted_at": "2026-03-01T10:00:00+01:00",
        "answers": {"return": 9, "expectation": "met"},
    }
    record.update(changes)
    return json.dumps(record) + "\n"


def test_both_parts_are_stored_in_line_order_as_one_process_stores_them(cast, exceed, write, in_two):
    named_anders(cast)
    status, out, err = exceed("import", "responses", write("r.ndjson", ndjson_lines(cast, 40)))
    assert status == 0, err
    assert "40 created" in out
    stored = list(Response.objects.order_by("pk").values_list("external_id", flat=True))
    assert stored == [f"nd-{n}" for n in range(40)]  # ids given in line order, across the parts
    for response in Response.objects.all():
        n = int(response.external_id.split("-")[1])
        assert response.return_likelihood == n % 11
        assert response.comment == (f"comment {n}" if n % 2 else "")
        assert [person.external_ref for person in response.people.all()] == (["CPH-7"] if n % 3 == 0 else [])
        assert Answer.objects.filter(response=response).count() == (3 if n % 2 else 2)
    before = measures()
    rollup_rebuild()
    assert measures() == before


def test_bad_lines_of_both_parts_are_named_in_line_order_and_nothing_is_stored(cast, exceed, write, in_two):
    named_anders(cast)
    lines = ndjson_lines(cast, 12).splitlines(keepends=True)
    lines[1] = bad("x-2", location="nowhere")  # line 2: this process's part
    lines[4] = bad("x-5", answers={"return": 11, "expectation": "met"})  # line 5: the forked part
    lines[10] = bad("nd-0")  # line 11: the id of line 1 again, across the parts
    status, _out, err = exceed("import", "responses", write("r.ndjson", "".join(lines)))
    assert status == 1
    named = [line for line in err.splitlines() if "r.ndjson line" in line]
    assert [line.split("r.ndjson ")[1].split(",")[0] for line in named] == ["line 2", "line 5", "line 11"]
    assert "unknown location code 'nowhere'" in named[0]
    assert "column answers.return" in named[1]
    assert "the external id nd-0 appears already on line 1" in named[2]
    assert Response.objects.count() == 0


def test_a_line_that_is_not_json_in_the_forked_part_rejects_the_file(cast, exceed, write, in_two):
    named_anders(cast)
    lines = ndjson_lines(cast, 9).splitlines(keepends=True)
    lines[4] = "{not json\n"
    status, _out, err = exceed("import", "responses", write("r.ndjson", "".join(lines)))
    assert status == 1
    assert "r.ndjson line 5: not valid JSON" in err
    assert Response.objects.count() == 0


def test_a_rerun_skips_what_is_stored_even_where_the_stored_line_would_now_be_refused(cast, exceed, write, in_two):
    named_anders(cast)
    path = write("r.ndjson", ndjson_lines(cast, 10))
    assert exceed("import", "responses", path)[0] == 0
    # Line 4 (the forked part) now names a store that is gone; its id is stored, so it is skipped.
    lines = ndjson_lines(cast, 14).splitlines(keepends=True)
    lines[3] = bad("nd-3", location="closed")
    status, out, err = exceed("import", "responses", write("again.ndjson", "".join(lines)))
    assert status == 0, err
    assert "4 created" in out and "10 skipped" in out
    assert Response.objects.count() == 14


def test_a_forked_child_may_not_query_its_parents_database(cast):
    """Its connection is the parent's: a query from the child would interleave with the parent's."""
    with pytest.raises(forked.ForkFailed, match="must not use its parent's database connection"):
        forked.Forked(lambda: Response.objects.count()).result()
    assert forked.Forked(lambda: sum(range(10))).result() == 45
    assert Response.objects.count() == 0  # the parent's connection still works
