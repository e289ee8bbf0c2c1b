import pytest
from django_tasks_db.models import DBTaskResult

from exceed.feedback.models import Invitation, InvitationStatus


def test_invitations_are_created_and_one_send_task_is_queued_for_each(
    cast, exceed, write, django_capture_on_commit_callbacks
):
    cast.anders.external_ref = "CPH-7"
    cast.anders.save()
    text = (
        "email,location,touchpoint,person,language,transaction_ref\n"
        "kunde@example.com,cph,in-store,CPH-7,da,R-1001\n"
        f"client@example.com,par,phone,{cast.claire.pk},fr,R-1002\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        status, out, err = exceed("import", "invitations", write("invitations.csv", text))
    assert status == 0, err
    first = Invitation.objects.get(transaction_ref="R-1001")
    assert (first.location, first.touchpoint, first.person, first.language, first.survey) == (
        cast.cph,
        cast.in_store,
        cast.anders,
        "da",
        cast.survey,
    )
    assert first.status == InvitationStatus.PENDING
    assert Invitation.objects.get(transaction_ref="R-1002").person == cast.claire
    assert DBTaskResult.objects.filter(task_path="exceed.feedback.tasks.invitation_send").count() == 2
    assert "2 created" in out


def test_a_person_from_another_store_is_refused_and_nothing_is_stored(cast, exceed, write):
    text = f"email,location,person\nkunde@example.com,cph,\nclient@example.com,cph,{cast.claire.pk}\n"
    status, _out, err = exceed("import", "invitations", write("invitations.csv", text))
    assert status == 1
    assert "invitations.csv line 3, column person: Claire Martin does not work at cph" in err
    assert Invitation.objects.count() == 0


def test_a_bad_email_address_is_refused_naming_line_and_column(cast, exceed, write):
    status, _out, err = exceed(
        "import", "invitations", write("invitations.csv", "email,location\nnot-an-address,cph\n")
    )
    assert status == 1
    assert "line 2, column email" in err
    assert Invitation.objects.count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_sends_the_imported_invitations(cast, exceed, write, mailoutbox):
    status, _out, err = exceed(
        "import", "invitations", write("invitations.csv", "email,location,language\nkunde@example.com,cph,da\n")
    )
    assert status == 0, err
    status, _out, err = exceed("worker", "--batch", "--interval", "0")
    assert status == 0, err
    assert Invitation.objects.get().status == InvitationStatus.SENT
    assert [message.to for message in mailoutbox] == [["kunde@example.com"]]
