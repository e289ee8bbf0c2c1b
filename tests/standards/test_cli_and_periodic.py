import json
from datetime import timedelta

from django.utils import timezone

from exceed.core.periodic import periodic_jobs, periodic_run_due
from exceed.standards.entry_files import playbook_export
from exceed.standards.models import PlaybookEntry, Situation


def test_the_playbook_imports_from_the_command_line_as_drafts(cast, playbook, exceed, write):
    definition = playbook_export()
    definition["situations"].append({"code": "greeting", "name": {"en": "Greeting"}, "category": "routine"})
    definition["entries"].append({"situation": "greeting", "touchpoint": "in-store", "steps": {"en": "Say hello"}})
    status, out, err = exceed("import", "playbook", write("playbook.json", json.dumps(definition)))
    assert status == 0, err
    assert PlaybookEntry.objects.get(situation__code="greeting").status == "draft"


def test_a_command_line_import_naming_an_unknown_situation_stores_nothing(cast, playbook, exceed, write):
    definition = {
        "format": "exceed.playbook/1",
        "situations": [{"code": "greeting", "name": {"en": "Greeting"}, "category": "routine"}],
        "entries": [{"situation": "gretting", "touchpoint": None, "steps": {"en": "Hello"}}],
    }
    status, _out, err = exceed("import", "playbook", write("playbook.json", json.dumps(definition)))
    assert status != 0
    assert "entries[0].situation" in err and "gretting" in err
    assert not Situation.objects.filter(code="greeting").exists()


def test_the_reminders_run_as_a_periodic_job(cast, playbook, smtp_inbox):
    assert "standards.reminders" in {job.name for job in periodic_jobs()}
    results = periodic_run_due(now=timezone.now() + timedelta(days=8))
    assert results["standards.reminders"] == {"acknowledgement_reminders": 1, "review_reminders": 0}
    assert [message["To"] for message in smtp_inbox.messages] == ["anders@example.com"]
