from django.db import migrations

from exceed.recovery import defaults


def install(apps, schema_editor):
    CaseCategory = apps.get_model("recovery", "CaseCategory")
    RecoveryRule = apps.get_model("recovery", "RecoveryRule")
    RecoverySettings = apps.get_model("recovery", "RecoverySettings")
    for position, (code, name) in enumerate(defaults.CATEGORIES):
        CaseCategory.objects.get_or_create(code=code, defaults={"name": name, "position": position})
    if not RecoveryRule.objects.exists():
        RecoveryRule.objects.create(**defaults.DEFAULT_RULE)
    RecoverySettings.objects.get_or_create(
        pk=1,
        defaults={
            "followup_delay_hours": defaults.FOLLOWUP_DELAY_HOURS,
            "loyalty_window_days": defaults.LOYALTY_WINDOW_DAYS,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("recovery", "0001_initial")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
