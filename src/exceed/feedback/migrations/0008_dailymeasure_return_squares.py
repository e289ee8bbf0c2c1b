from django.db import migrations, models

# The new column filled from the responses, for this column alone: the rollup's own rebuild
# (feedback.rollup) would name columns that later migrations add. Correlated subqueries are slow
# on a big table but run once, and the SQL is the same on SQLite and PostgreSQL.
_FILL = """
UPDATE feedback_dailymeasure SET return_squares = (
    SELECT COALESCE(SUM(r.return_likelihood * r.return_likelihood), 0)
    FROM feedback_response r
    WHERE r.local_date = feedback_dailymeasure.local_date
      AND r.location_id = feedback_dailymeasure.location_id
      AND COALESCE(r.touchpoint_id, 0) = feedback_dailymeasure.touchpoint_id
      AND r.channel_kind = feedback_dailymeasure.channel_kind
      AND r.language = feedback_dailymeasure.language
      AND r.survey_id IN (SELECT id FROM feedback_survey WHERE in_measures)
      AND (
        feedback_dailymeasure.person_id = 0
        OR EXISTS (
          SELECT 1 FROM feedback_response_people p
          WHERE p.response_id = r.id AND p.person_id = feedback_dailymeasure.person_id
        )
      )
)
WHERE return_n > 0
"""


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0007_invitation_batches"),
    ]

    operations = [
        migrations.AddField(
            model_name="dailymeasure",
            name="return_squares",
            field=models.IntegerField(default=0),
        ),
        migrations.RunSQL(_FILL, migrations.RunSQL.noop),
    ]
