import random

from exceed.org.scopes import COMMAND_LINE
from exceed.standards.demo import seed_demo_playbook
from exceed.standards.models import CharterAttribute, EntryVersion, PlaybookEntry, Situation
from exceed.standards.selectors import coverage_by_location, service_failure_entries


def test_the_demo_playbook_has_its_charter_entries_second_versions_and_coverage(db, exceed):
    status, _out, err = exceed("demo", "--no-serve", "--responses", "200")
    assert status == 0, err
    assert CharterAttribute.objects.count() == 5
    assert Situation.objects.count() == 12
    assert Situation.objects.filter(code="mystery-shopping-notice", category="notice").exists()
    assert PlaybookEntry.objects.filter(status="published").count() == PlaybookEntry.objects.count() >= 12
    assert EntryVersion.objects.filter(number=2).count() == 2
    for entry in PlaybookEntry.objects.all():
        assert set(entry.published_version.content["steps"]) == {"en", "da", "fr", "et", "fi"}
    shares = [row.percent for row in coverage_by_location(scope=COMMAND_LINE)]
    assert len(shares) == 12 and min(shares) >= 25 and max(shares) <= 100 and max(shares) - min(shares) >= 30
    assert set(service_failure_entries()) == {"acknowledge", "apologise", "gesture"}


def test_the_demo_playbook_alone_is_quick_to_create(cast):
    import time

    started = time.monotonic()
    assert seed_demo_playbook(rng=random.Random(1)) == 15
    assert time.monotonic() - started < 5
