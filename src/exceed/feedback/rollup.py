"""Keeping DailyMeasure exact: an increment per response, and a full rebuild from responses.

The increment is a single ``INSERT … ON CONFLICT DO UPDATE`` so two workers answering for the same
store and day add to one row instead of racing on read-modify-write. SQLite (≥ 3.24) and
PostgreSQL share the syntax. The columns and both computations come from one list of tallies,
``core.measures.RESPONSE_TALLIES``, so the increment and the rebuild cannot disagree.
"""

from django.db import connection, transaction

from exceed.core.measures import RESPONSE_TALLIES
from exceed.feedback.models import DailyMeasure, Response, Survey

_KEY = ["local_date", "location_id", "touchpoint_id", "person_id", "channel_kind", "language"]
_COUNTS = [tally.name for tally in RESPONSE_TALLIES]
_TABLE = DailyMeasure._meta.db_table
_TALLIED = sorted({tally.field for tally in RESPONSE_TALLIES if tally.field})
_UPSERT = (
    f"INSERT INTO {_TABLE} ({', '.join(_KEY + _COUNTS)}) "
    f"VALUES ({', '.join(['%s'] * (len(_KEY) + len(_COUNTS)))}) "
    f"ON CONFLICT ({', '.join(_KEY)}) DO UPDATE SET "
    + ", ".join(f"{name} = {_TABLE}.{name} + excluded.{name}" for name in _COUNTS)
)


def _counts(response: Response) -> list[int]:
    return [tally.of(getattr(response, tally.field) if tally.field else None) for tally in RESPONSE_TALLIES]


def _rows(response: Response, person_ids: list[int]) -> list[list]:
    counts = _counts(response)
    base = [response.local_date, response.location_id, response.touchpoint_id or 0]
    rows = [base + [0, response.channel_kind, response.language] + counts]
    rows += [base + [pk, response.channel_kind, response.language] + counts for pk in person_ids]
    return rows


def rollup_add(response: Response, person_ids: list[int]) -> None:
    """Count ``response`` once in the all-people row and once per person it names."""
    if not response.survey.in_measures:
        return
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, _rows(response, person_ids))


def rollup_remove(response: Response, person_ids: list[int]) -> None:
    """Take ``response`` out of the rows ``rollup_add`` counted it in, through the same upsert
    with its counts negated, and drop the rows it leaves empty, so the rollup still equals a
    rebuild (which writes no empty rows)."""
    if not response.survey.in_measures:
        return
    rows = [row[: len(_KEY)] + [-count for count in row[len(_KEY) :]] for row in _rows(response, person_ids)]
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT, rows)
        cursor.executemany(
            f"DELETE FROM {_TABLE} WHERE {' AND '.join(f'{name} = %s' for name in _KEY)} AND responses = 0",
            [row[: len(_KEY)] for row in rows],
        )


def rollup_add_many(entries) -> None:
    """``rollup_add`` for a batch: ``entries`` are ``(values, person_ids)`` pairs, ``values`` a
    mapping with the response's ``local_date``, ``location_id``, ``touchpoint_id``,
    ``channel_kind``, ``language`` and tallied fields. Rows of the same store, day and person are
    summed here first (every tally is a count or a sum), so a batch of 5,000 imported responses is
    a few hundred upserts, not 5,000 or more; sorted, so two writers take the rows in one order."""
    totals: dict[tuple, list[int]] = {}
    # A response's counts depend on its few tallied answers alone: a batch has a few hundred
    # combinations, each counted once instead of eleven tallies for every response.
    known: dict[tuple, list[int]] = {}
    for values, person_ids in entries:
        tallied = tuple(values[name] for name in _TALLIED)
        if (counts := known.get(tallied)) is None:
            counts = known[tallied] = [
                tally.of(values[tally.field] if tally.field else None) for tally in RESPONSE_TALLIES
            ]
        base = (values["local_date"], values["location_id"], values["touchpoint_id"] or 0)
        for person_id in (0, *person_ids):
            key = (*base, person_id, values["channel_kind"], values["language"])
            if (total := totals.get(key)) is None:
                totals[key] = counts[:]
            else:
                for index, count in enumerate(counts):
                    total[index] += count
    if not totals:
        return
    rows = [[*key, *counts] for key, counts in sorted(totals.items())]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            adapt = connection.ops.adapt_datefield_value
            cursor.executemany(_UPSERT, [[adapt(row[0]), *row[1:]] for row in rows])
            return
        # One statement of one array per column: executemany was a round trip per row, and a
        # multi-row VALUES list of thousands of parameters spent seconds in psycopg's parsing.
        types = [DailyMeasure._meta.get_field(name).db_type(connection) for name in _KEY + _COUNTS]
        unnest = ", ".join(f"%s::{kind}[]" for kind in types)
        cursor.execute(
            _UPSERT.replace(f"VALUES ({', '.join(['%s'] * len(types))})", f"SELECT * FROM unnest({unnest})", 1),
            [list(column) for column in zip(*rows)],
        )


def rollup_upsert_sql(response: Response, person_ids: list[int]) -> tuple[str, list] | None:
    """``rollup_add`` as one statement with its parameters (all rows in one VALUES list), for a
    caller that sends it together with others; None when the response is not counted. The rows
    differ in ``person_id``, so the one statement never updates a row twice."""
    if not response.survey.in_measures:
        return None
    rows = _rows(response, person_ids)
    one = f"({', '.join(['%s'] * len(rows[0]))})"
    sql = _UPSERT.replace(f"VALUES {one}", f"VALUES {', '.join([one] * len(rows))}", 1)
    return sql, [value for row in rows for value in row]


def rollup_rebuild() -> int:
    """Recompute every DailyMeasure row from the responses, in SQL; returns the rows written.

    Used after bulk imports and by the consistency test; it must agree with ``rollup_add``.
    """
    response_table = Response._meta.db_table
    people_table = Response.people.through._meta.db_table
    counted = f"r.survey_id IN (SELECT id FROM {Survey._meta.db_table} WHERE in_measures = %s)"
    sums = ", ".join(tally.sql("r") for tally in RESPONSE_TALLIES)
    columns = ", ".join(_KEY + _COUNTS)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Responses arriving meanwhile wait for the rebuild, then add themselves to its rows;
            # without the lock their increments could land on rows the rebuild is replacing.
            # (SQLite's write transactions are serialised already.)
            cursor.execute(f"LOCK TABLE {_TABLE} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {_TABLE}")
        cursor.execute(
            f"INSERT INTO {_TABLE} ({columns}) "
            f"SELECT r.local_date, r.location_id, COALESCE(r.touchpoint_id, 0), 0, r.channel_kind, r.language, {sums} "
            f"FROM {response_table} r WHERE {counted} "
            f"GROUP BY r.local_date, r.location_id, COALESCE(r.touchpoint_id, 0), r.channel_kind, r.language",
            [True],
        )
        cursor.execute(
            f"INSERT INTO {_TABLE} ({columns}) "
            f"SELECT r.local_date, r.location_id, COALESCE(r.touchpoint_id, 0), p.person_id, r.channel_kind, "
            f"r.language, {sums} "
            f"FROM {response_table} r JOIN {people_table} p ON p.response_id = r.id WHERE {counted} "
            f"GROUP BY r.local_date, r.location_id, COALESCE(r.touchpoint_id, 0), p.person_id, "
            f"r.channel_kind, r.language",
            [True],
        )
    return DailyMeasure.objects.count()
