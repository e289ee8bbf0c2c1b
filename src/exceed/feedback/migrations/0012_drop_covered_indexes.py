"""Drop two indexes that others already cover (issue 11, item 7): every response and answer
written paid for them. A response's store is served by the (location, local_date) index, an
answer's response by the unique (response, question) constraint.

Only the indexes are dropped (SeparateDatabaseAndState): Django's own AlterField would copy the
whole response table on SQLite to change nothing but an index.
"""

from django.db import migrations, models
import django.db.models.deletion

INDEXES = [
    ("feedback_response_location_id_78397cdd", "feedback_response", "location_id"),
    ("feedback_answer_response_id_7a14ef5c", "feedback_answer", "response_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0011_channel_kind_mystery"),
        ("org", "0006_location_coordinates"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="response",
                    name="location",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="org.location",
                    ),
                ),
                migrations.AlterField(
                    model_name="answer",
                    name="response",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="answers",
                        to="feedback.response",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"', reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")'
                )
                for name, table, column in INDEXES
            ],
        ),
    ]
