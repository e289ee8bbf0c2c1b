"""Feedback's objects outside the scope: a Paris answer with a customer's contact, the Paris link,
and a colleague's answer in Copenhagen that an associate may not read."""

from exceed.feedback.services import response_submit
from tests.scope import OutsideScope

PARIS_MARKER = "PARIS-ONLY-7731"
COLLEAGUE_MARKER = "BIRGITTE-ONLY-4410"


def outside_scope(cast, found) -> OutsideScope:
    response = response_submit(
        survey=cast.survey, location=cast.par, language="fr", channel_kind="link", touchpoint=cast.in_store,
        raw_answers={"return": 2, "expectation": "below", "difference": PARIS_MARKER, "contact": "yes", "served_by": [cast.claire.pk]},
        contact={"email": "client@example.fr"},
    )
    response_submit(
        survey=cast.survey, location=cast.cph, language="da", channel_kind="link",
        raw_answers={"return": 9, "expectation": "met", "difference": COLLEAGUE_MARKER, "served_by": [cast.birgitte.pk]},
    )

    def response_unchanged():
        response.refresh_from_db()
        assert response.comment == PARIS_MARKER

    return OutsideScope(
        objects={"response": response},
        values={"question_id": cast.survey.questions.first().pk, "kind": "svg", "action": "up", "response_id": response.pk},
        prefixed={
            "channels/": {"slug": cast.par_link.slug},
            "surveys/": {"slug": cast.survey.slug},
            "api/v1/surveys/": {"slug": cast.survey.slug},
            "responses/": {"pk": response.pk},
        },
        markers=[PARIS_MARKER, "client@example.fr", cast.par_link.slug],
        colleague_markers=[COLLEAGUE_MARKER],
        unchanged=[response_unchanged],
    )
