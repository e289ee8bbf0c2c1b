"""Feedback's objects outside the scope: a Paris answer with a customer's contact, the Paris link,
a batch of invitations to Paris customers, and a colleague's answer in Copenhagen that an associate may not read."""

from exceed.feedback.models import Invitation
from exceed.feedback.services import channel_create, invitation_batch_create, response_submit
from tests.scope import OutsideScope

PARIS_MARKER = "PARIS-ONLY-7731"
PARIS_INVITEE = "paris.invitee.5120@example.fr"
COLLEAGUE_MARKER = "BIRGITTE-ONLY-4410"


def outside_scope(cast, found) -> OutsideScope:
    response = response_submit(
        survey=cast.survey,
        location=cast.par,
        language="fr",
        channel_kind="link",
        touchpoint=cast.in_store,
        raw_answers={
            "return": 2,
            "expectation": "below",
            "difference": PARIS_MARKER,
            "contact": "yes",
            "served_by": [cast.claire.pk],
        },
        contact={"email": "client@example.fr"},
    )
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        language="da",
        channel_kind="link",
        raw_answers={
            "return": 9,
            "expectation": "met",
            "difference": COLLEAGUE_MARKER,
            "served_by": [cast.birgitte.pk],
        },
    )

    # A Paris tablet: its key must not leak, no one but a Paris manager unlocks it (issue 7, item 8).
    par_kiosk = channel_create(survey=cast.survey, location=cast.par, kind="kiosk", name="Paris exit tablet")
    kiosk_key = par_kiosk.kiosk_key

    def kiosk_unchanged():
        par_kiosk.refresh_from_db()
        assert par_kiosk.kiosk_key == kiosk_key

    # A batch of invitations at Paris: its customers' addresses are the owner's to see.
    batch = invitation_batch_create(
        survey=cast.survey, location=cast.par, rows=[{"email": PARIS_INVITEE}], reminder_days=3
    )

    # The Paris link: only the owner (and Paris's managers) rename, revoke or re-issue it.
    par_link = (cast.par_link.slug, cast.par_link.name, cast.par_link.active, cast.par_link.kiosk_key)

    def link_unchanged():
        cast.par_link.refresh_from_db()
        link = cast.par_link
        assert (link.slug, link.name, link.active, link.kiosk_key) == par_link

    def response_unchanged():
        response.refresh_from_db()
        assert response.comment == PARIS_MARKER

    def batch_unchanged():
        assert list(Invitation.objects.filter(location=cast.par).values_list("email", flat=True)) == [PARIS_INVITEE]

    return OutsideScope(
        objects={"response": response, "invitation_batch": batch},
        values={
            "question_id": cast.survey.questions.first().pk,
            "kind": "svg",
            "action": "up",
            "status": "publish",
            "response_id": response.pk,
        },
        prefixed={
            "channels/": {"slug": cast.par_link.slug},
            "surveys/": {"slug": cast.survey.slug},
            "api/v1/surveys/": {"slug": cast.survey.slug},
            "responses/": {"pk": response.pk},
            "k/": {"slug": par_kiosk.slug},
            "invitations/": {"batch_id": batch.pk},
        },
        markers=[PARIS_MARKER, "client@example.fr", cast.par_link.slug, kiosk_key, PARIS_INVITEE],
        colleague_markers=[COLLEAGUE_MARKER],
        unchanged=[response_unchanged, kiosk_unchanged, batch_unchanged, link_unchanged],
    )
