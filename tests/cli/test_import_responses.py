import json

import pytest

from exceed.feedback.models import Answer, DailyMeasure, Response
from exceed.feedback.rollup import rollup_rebuild

HEADER = "external_id,survey,location,touchpoint,submitted_at,language,people,return,expectation,difference\n"


def csv_rows(cast, count, start=0):
    return "".join(
        f"till-{n},visit,cph,in-store,2026-03-0{1 + n % 5}T10:{n % 60:02d}:00+01:00,da,CPH-7,{n % 11},exceeded,Fin betjening {n}\n"
        for n in range(start, start + count)
    )


def named_anders(cast):
    cast.anders.external_ref = "CPH-7"
    cast.anders.save()


def test_responses_from_csv_are_stored_with_answers_people_and_measures(cast, exceed, write):
    named_anders(cast)
    status, out, err = exceed("import", "responses", write("responses.csv", HEADER + csv_rows(cast, 30)))
    assert status == 0, err
    assert Response.objects.count() == 30
    response = Response.objects.get(external_id="till-9")
    assert (response.return_likelihood, response.expectation, response.comment, response.language) == (
        9,
        1,
        "Fin betjening 9",
        "da",
    )
    assert str(response.local_date) == "2026-03-05"
    assert list(response.people.all()) == [cast.anders]
    assert Answer.objects.filter(response=response).count() == 3
    # The rollup written by the import equals a rebuild from scratch.
    measures = sorted(DailyMeasure.objects.values_list("local_date", "person_id", "responses", "return_promoters"))
    rollup_rebuild()
    assert (
        sorted(DailyMeasure.objects.values_list("local_date", "person_id", "responses", "return_promoters")) == measures
    )
    assert sum(row[2] for row in measures if row[1] == 0) == 30
    assert "30 created" in out
    assert "100%" not in err  # no progress bar where stderr is a log or a pipe, not a terminal


def test_the_progress_bar_is_drawn_on_a_terminal(cast, write, monkeypatch, capsys):
    """Issue 6, item 6: a progress bar only on a terminal."""
    import io
    import sys

    from exceed.cli import main

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    named_anders(cast)
    assert main(["import", "responses", str(write("responses.csv", HEADER + csv_rows(cast, 5)))]) == 0
    assert "100%" in terminal.getvalue()


def test_a_reimport_adds_nothing_twice_and_says_how_many_were_skipped(cast, exceed, write):
    named_anders(cast)
    exceed("import", "responses", write("responses.csv", HEADER + csv_rows(cast, 20)))
    status, out, err = exceed("import", "responses", write("responses.csv", HEADER + csv_rows(cast, 25)))
    assert status == 0, err
    assert Response.objects.count() == 25
    assert "5 created, 0 updated, 20 skipped" in out
    assert DailyMeasure.objects.filter(person_id=0).values_list("responses", flat=True).count() > 0
    assert sum(DailyMeasure.objects.filter(person_id=0).values_list("responses", flat=True)) == 25


def test_an_answer_out_of_range_is_refused_naming_line_and_column_and_nothing_is_stored(cast, exceed, write):
    named_anders(cast)
    text = HEADER + csv_rows(cast, 5) + "till-x,visit,cph,,2026-03-01T10:00:00Z,da,,11,met,\n"
    status, _out, err = exceed("import", "responses", write("responses.csv", text))
    assert status == 1
    assert "responses.csv line 7, column return: " in err
    assert Response.objects.count() == 0
    assert DailyMeasure.objects.count() == 0


def test_unknown_codes_and_dates_are_named(cast, exceed, write):
    text = HEADER + "t-1,visit,xx,in-store,yesterday,da,NOBODY,5,met,\n"
    status, _out, err = exceed("import", "responses", write("responses.csv", text))
    assert status == 1
    assert "line 2, column location: unknown location code 'xx'" in err
    assert "line 2, column submitted_at" in err
    assert "line 2, column people: unknown employee number 'NOBODY'" in err


def test_responses_from_ndjson_name_the_answer_at_fault(cast, exceed, write):
    named_anders(cast)
    good = {
        "external_id": 1,
        "survey": "visit",
        "location": "par",
        "submitted_at": "2026-03-01T09:00:00",
        "answers": {"return": 10, "expectation": "exceeded", "served_by": [str(cast.claire.pk)]},
    }
    bad = dict(good, external_id=2, answers={"return": 3, "expectation": "fabulous"})
    path = write("responses.ndjson", json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    status, _out, err = exceed("import", "responses", path)
    assert status == 1
    assert "responses.ndjson line 2, column answers.expectation" in err
    assert Response.objects.count() == 0

    status, _out, err = exceed("import", "responses", write("responses.ndjson", json.dumps(good) + "\n"))
    assert status == 0, err
    response = Response.objects.get(external_id="1")
    # A time without an offset is the store's local time: 09:00 in Paris is 08:00 UTC in March.
    assert response.submitted_at.hour == 8
    assert (response.language, list(response.people.all())) == ("fr", [cast.claire])


def test_the_import_help_lists_every_kind_with_its_columns(exceed, capsys):
    """Issue 6, item 6: `exceed import --help` reads the registry the apps fill."""
    import pytest

    from exceed.cli import main

    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    for kind in ("locations", "people", "invitations", "responses", "visits"):
        assert f"  {kind} (" in out
    assert "columns: external_id, location, visited_at, customer_ref; optional: amount, served_by" in out


def test_an_unknown_kind_of_import_is_refused_naming_the_kinds(exceed, write):
    status, out, err = exceed("import", "shoes", write("x.csv", "a\n1\n"))
    assert status == 1
    assert "Unknown kind of import shoes" in err and "visits" in err


def ndjson_lines(cast, count, start=0):
    """Lines naming a person every third line, a comment every other, over five days."""
    lines = []
    for n in range(start, start + count):
        record = {
            "external_id": f"nd-{n}",
            "survey": "visit",
            "location": "cph" if n % 2 else "aar",
            "touchpoint": "in-store",
            "submitted_at": f"2026-03-0{1 + n % 5}T10:00:00+01:00",
            "answers": {"return": n % 11, "expectation": "below" if n % 4 == 0 else "met"},
        }
        if n % 2:
            record["answers"]["difference"] = f"comment {n}"
        if n % 3 == 0:
            record["people"] = "CPH-7"
        lines.append(json.dumps(record) + "\n")
    return "".join(lines)


def measures():
    columns = [field.name for field in DailyMeasure._meta.concrete_fields if field.name != "id"]
    return sorted(DailyMeasure.objects.values_list(*columns))


def test_an_import_in_several_batches_links_every_answer_and_person_to_its_own_response(
    cast, exceed, write, monkeypatch
):
    """Issue 11, item 7: the set-based writer reserves the ids and writes answers and people
    without reading them back; batches of 7 make 23 lines three batches and a remainder."""
    from exceed.feedback import importers
    from exceed.feedback.models import PendingEvaluation

    monkeypatch.setattr(importers, "WRITE_BATCH", 7)
    named_anders(cast)
    status, out, err = exceed("import", "responses", write("responses.ndjson", ndjson_lines(cast, 23)))
    assert status == 0, err
    assert "23 created" in out
    for response in Response.objects.prefetch_related("answers__question", "people"):
        n = int(response.external_id.removeprefix("nd-"))
        answers = {answer.question.code: (answer.number, answer.text) for answer in response.answers.all()}
        assert answers["return"] == (n % 11, "") and response.return_likelihood == n % 11
        assert answers.get("difference", (None, ""))[1] == (f"comment {n}" if n % 2 else "")
        assert [person.pk for person in response.people.all()] == ([cast.anders.pk] if n % 3 == 0 else [])
    assert PendingEvaluation.objects.count() == 23
    # The rollup, summed per batch, equals a rebuild from the responses.
    imported = measures()
    rollup_rebuild()
    assert measures() == imported
    assert sum(DailyMeasure.objects.filter(person_id=0).values_list("responses", flat=True)) == 23
    assert sum(DailyMeasure.objects.filter(person_id=cast.anders.pk).values_list("responses", flat=True)) == 8


def test_a_bad_line_in_the_middle_of_a_batched_import_stores_nothing(cast, exceed, write, monkeypatch):
    from exceed.feedback import importers

    monkeypatch.setattr(importers, "WRITE_BATCH", 5)
    named_anders(cast)
    bad = json.dumps({"external_id": "bad", "survey": "visit", "location": "cph", "submitted_at": "2026-03-01T10:00"})
    text = ndjson_lines(cast, 10) + bad.replace('"cph"', '"nowhere"') + "\n" + ndjson_lines(cast, 10, start=10)
    status, _out, err = exceed("import", "responses", write("responses.ndjson", text))
    assert status == 1
    assert "responses.ndjson line 11, column location: unknown location code 'nowhere'" in err
    assert "Nothing was imported." in err
    assert Response.objects.count() == 0
    assert DailyMeasure.objects.count() == 0


def test_a_response_stored_by_another_writer_during_the_import_is_skipped_not_doubled(cast, write, monkeypatch):
    """Between the check and the write of a later batch the live API stores one of the file's
    external ids: that batch skips it, and the measures count it once."""
    from exceed.feedback import importers
    from exceed.feedback.models import ChannelKind
    from exceed.feedback.services import default_survey_install, response_submit

    monkeypatch.setattr(importers, "WRITE_BATCH", 4)
    named_anders(cast)
    path = write("responses.ndjson", ndjson_lines(cast, 12))

    def meanwhile(phase, done, total):
        if done == 4 and not Response.objects.filter(external_id="nd-9").exists():
            response_submit(
                survey=default_survey_install(),
                location=cast.cph,
                raw_answers={"return": 9, "expectation": "met"},
                language="da",
                channel_kind=ChannelKind.API,
                external_id="nd-9",
            )

    report = importers.responses_import(path=path, progress=meanwhile)
    assert (report.created, report.skipped) == (11, 1)
    assert Response.objects.count() == 12
    assert Response.objects.get(external_id="nd-9").channel_kind == ChannelKind.API
    imported = measures()
    rollup_rebuild()
    assert measures() == imported


def test_imported_responses_never_reuse_the_id_of_a_deleted_response(cast, exceed, write):
    named_anders(cast)
    exceed("import", "responses", write("first.ndjson", ndjson_lines(cast, 3)))
    last = Response.objects.order_by("-pk").first()
    deleted_pk = last.pk
    last.delete()
    status, _out, err = exceed("import", "responses", write("second.ndjson", ndjson_lines(cast, 2, start=10)))
    assert status == 0, err
    assert min(Response.objects.filter(external_id__in=["nd-10", "nd-11"]).values_list("pk", flat=True)) > deleted_pk


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_writer_stores_an_answer_between_two_batches_of_an_import(cast, write, monkeypatch):
    """Issue 11, item 7: each batch commits on its own, so a live answer from another connection
    (here a thread, as another process would) gets the write lock between two batches instead of
    waiting for the whole file, and sees the batches stored so far."""
    import threading

    from exceed.feedback import importers
    from exceed.feedback.models import ChannelKind
    from exceed.feedback.services import default_survey_install, response_submit

    monkeypatch.setattr(importers, "WRITE_BATCH", 4)
    named_anders(cast)
    survey = default_survey_install()
    seen, errors = [], []

    def live_answer():
        from django.db import connection as own

        try:
            seen.append(Response.objects.filter(channel_kind=ChannelKind.IMPORT).count())
            response_submit(
                survey=survey,
                location=cast.cph,
                raw_answers={"return": 9, "expectation": "met"},
                language="da",
                channel_kind=ChannelKind.API,
            )
        except Exception as error:
            errors.append(error)
        finally:
            own.close()

    def after_batch(phase, done, total):
        if done == 4 and not seen:
            thread = threading.Thread(target=live_answer, daemon=True)
            thread.start()
            thread.join(timeout=30)
            assert not thread.is_alive(), "the live answer waited for the whole import"

    report = importers.responses_import(path=write("responses.ndjson", ndjson_lines(cast, 12)), progress=after_batch)
    assert report.created == 12
    assert errors == []
    assert seen == [4]
    assert Response.objects.filter(channel_kind=ChannelKind.API).count() == 1
    imported = measures()
    rollup_rebuild()
    assert measures() == imported


def _planner_knows_the_responses() -> bool:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'feedback_response'")
            return cursor.fetchone()[0] > 0
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'feedback_response'")
        return cursor.fetchone()[0] > 0


def test_a_big_import_refreshes_the_planners_statistics(cast, exceed, write, monkeypatch):
    from django.db import connection

    from exceed.feedback import importers

    named_anders(cast)
    if connection.vendor == "sqlite":  # PostgreSQL's autovacuum may have analysed on its own
        status, _out, err = exceed("import", "responses", write("small.csv", HEADER + csv_rows(cast, 10)))
        assert status == 0, err
        assert not _planner_knows_the_responses()  # 10 lines are not worth a pass over the database
    monkeypatch.setattr(importers, "ANALYZE_AFTER", 20)
    status, _out, err = exceed("import", "responses", write("big.csv", HEADER + csv_rows(cast, 25, start=10)))
    assert status == 0, err
    assert _planner_knows_the_responses()


def test_an_import_gives_back_the_garbage_collector_and_the_page_cache_even_when_refused(cast, exceed, write):
    """The import pauses the cycle collector and (SQLite) enlarges its connection's page cache;
    both are given back afterwards, whether the file was stored or refused, since a server or
    worker process goes on with the same interpreter and connection."""
    import gc

    from django.db import connection

    def page_cache():
        if connection.vendor != "sqlite":
            return None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    named_anders(cast)
    before = page_cache()
    assert gc.isenabled()
    good = write("good.csv", HEADER + csv_rows(cast, 3))
    bad = write("bad.csv", HEADER + "x-1,visit,cph,in-store,2026-03-01T10:00:00+01:00,da,,11,met,\n")
    assert exceed("import", "responses", good)[0] == 0
    assert gc.isenabled() and page_cache() == before
    status, _out, err = exceed("import", "responses", bad)
    assert status != 0 and "line 2" in err
    assert gc.isenabled() and page_cache() == before
    assert Response.objects.count() == 3


def test_responses_and_answers_keep_no_index_that_another_covers(cast):
    """Each index is one more B-tree write per response; a response's store is served by the
    (location, local_date) index, an answer's response by the unique (response, question) one."""
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = {
            table: connection.introspection.get_constraints(cursor, table)
            for table in (Response._meta.db_table, Answer._meta.db_table)
        }
    response_columns = [tuple(c["columns"]) for c in indexes[Response._meta.db_table].values() if c["index"]]
    answer_columns = [tuple(c["columns"]) for c in indexes[Answer._meta.db_table].values() if c["index"] or c["unique"]]
    assert ("location_id",) not in response_columns and ("location_id", "local_date") in response_columns
    assert ("response_id",) not in answer_columns and ("response_id", "question_id") in answer_columns
