import pytest
from django_tasks_db.models import DBTaskResult

from exceed.feedback.models import Invitation

GOOD = {
    "email": "kunde@example.com",
    "location": "cph",
    "touchpoint": "in-store",
    "language": "da",
    "transaction_ref": "T-9",
}


def test_a_manager_creates_an_invitation_and_its_sending_is_queued(cast, api_as, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("manager").post("/invitations", GOOD | {"person": cast.anders.pk})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["survey"], body["location"], body["touchpoint"], body["person"], body["status"]) == (
        "visit",
        "cph",
        "in-store",
        cast.anders.pk,
        "pending",
    )
    invitation = Invitation.objects.get(pk=body["id"])
    assert (invitation.email, invitation.transaction_ref) == ("kunde@example.com", "T-9")
    (task,) = DBTaskResult.objects.all()
    assert task.task_path.endswith("invitation_send") and task.args_kwargs["args"] == [invitation.pk]


@pytest.mark.parametrize(
    "changes, status, field",
    [
        ({"email": "not-an-email"}, 400, "email"),
        ({"location": "nowhere"}, 400, "location"),
        ({"touchpoint": "teleport"}, 400, "touchpoint"),
        ({"survey": "nope"}, 400, "survey"),
        ({"language": "xx"}, 400, "language"),
        ({"person": 999999}, 400, "person"),
        ({"transaction_ref": "x" * 121}, 422, "transaction_ref"),
    ],
)
def test_bad_invitation_input_is_refused_naming_the_field(
    cast, api_as, changes, status, field, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_as("owner").post("/invitations", GOOD | changes)
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert not Invitation.objects.exists() and not DBTaskResult.objects.exists()


def test_a_person_from_another_store_cannot_be_named_on_an_invitation(cast, api_as):
    response = api_as("owner").post("/invitations", GOOD | {"person": cast.claire.pk})
    assert response.status_code == 400 and response.json()["field"] == "person"


@pytest.mark.parametrize("role", ["regional", "manager"])
def test_a_manager_cannot_invite_for_a_store_outside_their_scope(cast, api_as, role):
    response = api_as(role).post("/invitations", GOOD | {"location": "par"})
    assert response.status_code == 403 and response.json()["field"] == "location"
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role", ["associate", "shopper", "outsider"])
def test_only_managers_create_invitations(cast, api_as, role):
    assert api_as(role).post("/invitations", GOOD).status_code == 403
    assert not Invitation.objects.exists()
