from django.db import migrations
from django.utils.translation import gettext_noop

# Stored in English; gettext_noop puts the names in the catalogue so Touchpoint.__str__ can show
# them in the reader's language.
TOUCHPOINTS = [
    ("in-store", gettext_noop("In store")),
    ("phone", gettext_noop("Phone")),
    ("email", gettext_noop("Email")),
    ("web", gettext_noop("Web")),
    ("chat", gettext_noop("Chat")),
    ("mail", gettext_noop("Mail")),
    ("delivery", gettext_noop("Delivery")),
    ("installation", gettext_noop("Installation")),
]


def add_touchpoints(apps, schema_editor):
    Touchpoint = apps.get_model("org", "Touchpoint")
    for position, (code, name) in enumerate(TOUCHPOINTS):
        Touchpoint.objects.get_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(add_touchpoints, migrations.RunPython.noop)]
