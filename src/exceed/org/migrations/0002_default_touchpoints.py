from django.db import migrations

TOUCHPOINTS = [
    ("in-store", "In store"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("web", "Web"),
    ("chat", "Chat"),
    ("mail", "Mail"),
    ("delivery", "Delivery"),
    ("installation", "Installation"),
]


def add_touchpoints(apps, schema_editor):
    Touchpoint = apps.get_model("org", "Touchpoint")
    for position, (code, name) in enumerate(TOUCHPOINTS):
        Touchpoint.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_touchpoints, migrations.RunPython.noop)]
