"""The query planner's statistics, refreshed after a bulk load.

PostgreSQL's autovacuum analyses a table only some time after rows arrive; until then the planner
guesses from an empty table, and right after the demo or an import it chose nested loops four deep
for the mystery results (minutes instead of milliseconds). SQLite keeps no statistics until asked.
Refreshing them once after a bulk load costs a second or two and spares every reader that guess.
"""

from django.db import connection


def planner_statistics_refresh() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
