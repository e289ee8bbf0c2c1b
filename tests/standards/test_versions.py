from datetime import timedelta

import pytest
from django.utils import timezone

from exceed.errors import DomainError
from exceed.standards import services
from exceed.standards.models import EntryStatus, EntryVersion, PlaybookEntry
from exceed.standards.selectors import version_diff, versions_in_force
from tests.standards.conftest import publish


def _edit(entry, **changes):
    values = {
        "owner": entry.owner,
        "review_on": entry.review_on,
        "steps": entry.steps,
        "words_to_use": entry.words_to_use,
        "words_to_avoid": entry.words_to_avoid,
        "authority": entry.authority,
        "attributes": list(entry.attributes.all()),
        "job_roles": entry.job_roles,
        "locations": list(entry.locations.all()),
    }
    values.update(changes)
    return services.entry_update(entry=entry, **values)


def test_publishing_writes_version_one_and_records_each_move(cast, playbook):
    entry = PlaybookEntry.objects.get(pk=playbook.late_phone.pk)
    assert entry.status == EntryStatus.PUBLISHED
    assert entry.published_version == playbook.late_v1
    assert playbook.late_v1.number == 1
    assert playbook.late_v1.content["steps"]["fi"] == "Pyydä anteeksi\nKerro uusi aika"
    assert playbook.late_v1.content["attributes"] == ["welcome"]
    moves = list(entry.status_changes.values_list("from_status", "to_status"))
    assert moves == [("draft", "in_review"), ("in_review", "published")]


def test_editing_a_published_entry_keeps_its_version_in_force_until_the_next_publication(cast, playbook):
    entry = _edit(playbook.late_phone, steps={"en": "Say sorry\nGive a new time\nOffer a discount"})
    assert entry.status == EntryStatus.DRAFT
    assert entry.published_version_id == playbook.late_v1.pk
    assert playbook.late_v1 in versions_in_force()
    services.entry_submit(entry=entry, by=cast.owner)
    v2 = services.entry_publish(entry=entry, by=cast.owner, change_note="A discount for the wait")
    assert v2.number == 2 and v2.change_note == "A discount for the wait"
    assert list(versions_in_force().filter(entry=entry)) == [v2]


def test_an_old_version_reads_as_it_was_with_a_diff_to_the_next(cast, playbook):
    entry = _edit(playbook.late_phone, steps={"en": "Say sorry\nGive a new time and a discount"})
    publish(entry, by=cast.owner, note="Discount")
    v1 = EntryVersion.objects.get(pk=playbook.late_v1.pk)
    assert v1.content["steps"]["en"] == "Say sorry\nGive a new time"
    diff = version_diff(version=v1, language="en")
    assert "-  Give a new time" in diff
    assert "+  Give a new time and a discount" in diff
    assert "   Say sorry" in diff
    assert version_diff(version=entry.versions.get(number=2), language="en") is None


def test_a_published_version_cannot_be_changed(playbook):
    version = EntryVersion.objects.get(pk=playbook.late_v1.pk)
    version.change_note = "rewritten history"
    with pytest.raises(ValueError):
        version.save()


def test_a_second_version_needs_a_change_note_and_the_entry_stays_in_review(cast, playbook):
    entry = _edit(playbook.late_phone, steps={"en": "Say sorry"})
    services.entry_submit(entry=entry, by=cast.owner)
    with pytest.raises(DomainError) as error:
        services.entry_publish(entry=entry, by=cast.owner, change_note=" ")
    assert error.value.field == "change_note"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.IN_REVIEW
    assert entry.versions.count() == 1


def test_publishing_an_entry_without_steps_is_refused_and_the_draft_kept(cast, playbook):
    entry = services.entry_create(situation=playbook.late, touchpoint=cast.in_store, words_to_use={"en": "Sorry"})
    with pytest.raises(DomainError) as error:
        services.entry_submit(entry=entry)
    assert error.value.field == "steps"
    entry.refresh_from_db()
    assert entry.status == EntryStatus.DRAFT and entry.words_to_use == {"en": "Sorry"}
    assert not entry.versions.exists()


def test_a_draft_cannot_skip_review(cast, playbook):
    entry = services.entry_create(situation=playbook.late, touchpoint=cast.in_store, steps={"en": "Call"})
    with pytest.raises(DomainError) as error:
        services.entry_publish(entry=entry)
    assert error.value.status == 409
    assert not entry.versions.exists()


def test_a_review_date_in_the_past_is_refused_at_creation(cast, playbook):
    with pytest.raises(DomainError) as error:
        services.entry_create(
            situation=playbook.late,
            touchpoint=cast.in_store,
            steps={"en": "Call"},
            review_on=timezone.localdate() - timedelta(days=1),
        )
    assert error.value.field == "review_on"
    assert not PlaybookEntry.objects.filter(situation=playbook.late, touchpoint=cast.in_store).exists()


def test_an_unknown_touchpoint_is_named_in_the_error(db):
    with pytest.raises(DomainError) as error:
        services.touchpoint_by_code("carrier-pigeon")
    assert error.value.field == "touchpoint" and "carrier-pigeon" in error.value.message


def test_one_entry_per_situation_and_touchpoint(cast, playbook):
    with pytest.raises(DomainError) as error:
        services.entry_create(situation=playbook.late, touchpoint=cast.phone, steps={"en": "Again"})
    assert error.value.field == "touchpoint"


def test_a_retired_entry_leaves_the_playbook_and_can_come_back_as_a_draft(cast, playbook):
    services.entry_retire(entry=playbook.stock_all, by=cast.owner)
    assert playbook.stock_v1 not in versions_in_force()
    services.entry_reopen(entry=playbook.stock_all, by=cast.owner)
    assert playbook.stock_all.status == EntryStatus.DRAFT


def test_only_a_service_failure_names_a_recovery_step(db):
    with pytest.raises(DomainError) as error:
        services.situation_create(
            code="greeting", name={"en": "Greeting"}, category="routine", recovery_step="apologise"
        )
    assert error.value.field == "recovery_step"
