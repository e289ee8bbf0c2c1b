"""The API: the owner creates a scorecard and a programme; bad input is a 4xx naming the field."""

from exceed.api.models import ApiToken
from tests.mystery.factories import DEFINITION


def _post(client, user, path, body):
    token = ApiToken.issue(user=user)[1]
    return client.post(path, data=body, content_type="application/json", HTTP_AUTHORIZATION="Bearer " + token)


def _get(client, user, path):
    return client.get(path, HTTP_AUTHORIZATION="Bearer " + ApiToken.issue(user=user)[1])


def test_the_owner_creates_a_scorecard_and_a_programme_by_the_api(cast, client):
    created = _post(client, cast.owner, "/api/v1/mystery/scorecards", DEFINITION)
    assert created.status_code == 201, created.content
    scorecard = created.json()
    assert scorecard["version"] == 1 and [s["code"] for s in scorecard["sections"]] == ["welcome", "help"]
    body = {
        "name": "Monthly store visit",
        "touchpoint": "in-store",
        "scorecard_id": scorecard["id"],
        "locations": ["cph", "aar"],
        "windows": [{"weekday": 5, "start": 9, "end": 12}],
        "reward_amount": "20",
    }
    programme = _post(client, cast.owner, "/api/v1/mystery/programmes", body)
    assert programme.status_code == 201, programme.content
    assert programme.json()["locations"] == ["aar", "cph"] or programme.json()["locations"] == ["cph", "aar"]
    assert [p["name"] for p in _get(client, cast.owner, "/api/v1/mystery/programmes").json()] == ["Monthly store visit"]


def test_bad_programme_input_names_the_field_and_creates_nothing(cast, client):
    scorecard = _post(client, cast.owner, "/api/v1/mystery/scorecards", DEFINITION).json()
    base = {"name": "X", "touchpoint": "in-store", "scorecard_id": scorecard["id"], "locations": ["cph"]}
    bad_window = _post(
        client, cast.owner, "/api/v1/mystery/programmes", {**base, "windows": [{"weekday": 1, "start": 17, "end": 14}]}
    )
    assert bad_window.status_code == 400 and bad_window.json()["field"] == "windows"
    short = _post(client, cast.owner, "/api/v1/mystery/programmes", {**base, "evidence_days": 30})
    assert short.status_code == 422
    assert (
        _post(client, cast.owner, "/api/v1/mystery/programmes", {**base, "rhythm": "every_n_days"}).json()["field"]
        == "interval_days"
    )
    assert _get(client, cast.owner, "/api/v1/mystery/programmes").json() == []


def test_a_bad_scorecard_item_names_the_field(cast, client):
    bad = {
        "name": {"en": "X"},
        "sections": [
            {
                "code": "s",
                "title": {"en": "S"},
                "items": [
                    {"code": "c", "kind": "choice", "text": {"en": "Pick"}, "options": [{"label": {"en": "only one"}}]}
                ],
            }
        ],
    }
    answer = _post(client, cast.owner, "/api/v1/mystery/scorecards", bad)
    assert answer.status_code == 400 and answer.json()["field"] == "options"


def test_only_the_owner_creates_programmes(cast, client):
    answer = _post(client, cast.manager, "/api/v1/mystery/scorecards", DEFINITION)
    assert answer.status_code == 403


def test_changing_an_item_of_a_scorecard_in_use_makes_a_new_version_by_the_api(cast, client):
    from tests.mystery.factories import programme, shopper, submitted

    prog = programme(cast)
    assignment = submitted(prog, cast.cph, shopper())
    item = {"section": "help", "code": "asked", "kind": "scale", "text": {"en": "Asked"}, "weight": "5"}
    answer = _post(client, cast.owner, f"/api/v1/mystery/scorecards/{prog.scorecard_id}/items", item)
    assert answer.status_code == 200, answer.content
    assert answer.json()["version"] == 2
    report = _get(client, cast.owner, f"/api/v1/mystery/reports/{assignment.pk}").json()
    assert report["version"] == 1
    bad = _post(
        client, cast.owner, f"/api/v1/mystery/scorecards/{prog.scorecard_id}/items", {**item, "section": "nope"}
    )
    assert bad.status_code == 400 and bad.json()["field"] == "section"
