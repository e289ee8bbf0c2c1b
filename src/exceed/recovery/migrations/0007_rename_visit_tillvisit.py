"""The till's visit record is TillVisit, so it does not clash with mystery-shop visit reports."""

from django.conf import settings
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_merge_membership_language_shown_to_customers"),
        ("recovery", "0006_digest_and_assignment"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RenameModel(old_name="Visit", new_name="TillVisit")]
