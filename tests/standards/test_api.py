import json

import pytest

from exceed.api.models import ApiToken
from exceed.standards.entry_files import playbook_export
from exceed.standards.models import PlaybookEntry, Situation


@pytest.fixture
def api(cast, client):
    def call(role, method, path, body=None):
        key = ApiToken.issue(user=cast.roles[role])[1]
        headers = {"Authorization": f"Bearer {key}"}
        if method == "get":
            return client.get(f"/api/v1{path}", headers=headers)
        return getattr(client, method)(
            f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", headers=headers
        )

    return call


def test_the_owner_creates_submits_and_publishes_an_entry_through_the_api(cast, playbook, api):
    created = api(
        "owner",
        "post",
        "/standards/entries",
        {
            "situation": "late-delivery",
            "touchpoint": "in-store",
            "steps": {"en": "Call", "fi": "Soita"},
            "attributes": ["welcome"],
        },
    )
    assert created.status_code == 201, created.content
    entry_id = created.json()["id"]
    assert created.json()["draft"]["attributes"] == ["welcome"]
    assert api("owner", "post", f"/standards/entries/{entry_id}/submit").status_code == 200
    published = api("owner", "post", f"/standards/entries/{entry_id}/publish", {"change_note": ""})
    assert published.status_code == 201 and published.json()["number"] == 1
    read = api("associate", "get", f"/standards/entries/{entry_id}").json()
    assert read["draft"] is None and [v["number"] for v in read["versions"]] == [1]


def test_an_entry_for_an_unknown_touchpoint_names_the_field(cast, playbook, api):
    answer = api(
        "owner",
        "post",
        "/standards/entries",
        {"situation": "late-delivery", "touchpoint": "pigeon", "steps": {"en": "x"}},
    )
    assert answer.status_code == 400 and answer.json()["field"] == "touchpoint"
    assert not PlaybookEntry.objects.filter(situation__code="late-delivery", touchpoint=None).exists()


def test_publishing_without_steps_is_refused_with_the_field_named(cast, playbook, api):
    created = api(
        "owner", "post", "/standards/entries", {"situation": "late-delivery", "touchpoint": "in-store"}
    ).json()
    answer = api("owner", "post", f"/standards/entries/{created['id']}/submit")
    assert answer.status_code == 400 and answer.json()["field"] == "steps"


def test_an_associate_acknowledges_through_the_api_and_a_manager_sees_coverage(cast, playbook, api):
    answer = api("associate", "post", f"/standards/entries/{playbook.late_phone.pk}/acknowledge")
    assert answer.status_code == 201 and answer.json()["version"] == 1
    coverage = api("manager", "get", "/standards/coverage").json()
    # Anders and Birgitte (no login yet) × two entries.
    assert coverage["locations"] == [{"location": "cph", "asked": 4, "acknowledged": 1, "pct": 25}]
    assert api("associate", "get", "/standards/coverage").status_code == 403
    mine = api("associate", "get", "/standards/acknowledgements").json()
    assert [a["entry"] for a in mine] == [playbook.late_phone.pk]


def test_shoppers_and_associates_cannot_write_and_shoppers_cannot_read(cast, playbook, api):
    assert api("shopper", "get", "/standards/entries").status_code == 403
    assert api("shopper", "get", "/standards/charter").status_code == 403
    assert (
        api(
            "associate", "post", "/standards/situations", {"code": "x", "name": {"en": "X"}, "category": "problem"}
        ).status_code
        == 403
    )
    assert api("manager", "post", f"/standards/entries/{playbook.late_phone.pk}/retire").status_code == 403


def test_the_playbook_file_round_trips_and_a_bad_file_stores_nothing(cast, playbook, api):
    exported = api("owner", "get", "/standards/export").json()
    assert exported["format"] == "exceed.playbook/1"
    late = next(e for e in exported["entries"] if e["situation"] == "late-delivery")
    assert late["versions"][0]["content"]["steps"]["fi"] == "Pyydä anteeksi\nKerro uusi aika"
    bad = json.loads(json.dumps(exported))
    bad["situations"].append({"code": "new-one", "name": {"en": "New"}, "category": "problem"})
    bad["entries"].append({"situation": "no-such-situation", "touchpoint": None})
    answer = api("owner", "post", "/standards/import", bad)
    assert answer.status_code == 400
    assert answer.json()["field"] == f"entries[{len(bad['entries']) - 1}].situation"
    assert not Situation.objects.filter(code="new-one").exists()


def test_a_malformed_version_in_the_file_is_named(cast, playbook):
    from exceed.errors import DomainError
    from exceed.standards.entry_files import playbook_import

    definition = playbook_export()
    definition["entries"][0]["versions"] = [{"number": "one", "content": {}}]
    with pytest.raises(DomainError) as error:
        playbook_import(definition=definition)
    assert error.value.field == "entries[0].versions[0].number"


def test_a_template_imports_as_drafts_into_an_empty_installation(cast, playbook):
    from exceed.standards.entry_files import playbook_import

    definition = playbook_export()
    PlaybookEntry.objects.all().delete()
    report = playbook_import(definition=definition)
    assert report.created == 3 and report.updated == 2
    assert set(PlaybookEntry.objects.values_list("status", flat=True)) == {"draft"}
    assert PlaybookEntry.objects.get(situation__code="late-delivery").steps["fi"].startswith("Pyydä")
