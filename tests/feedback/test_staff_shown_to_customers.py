"""Staff names on public survey pages only where the person agreed (issue 7, item 3)."""

from exceed.feedback.models import Response
from exceed.feedback.services import channel_create
from exceed.org.services import person_create


def test_a_person_who_did_not_agree_is_not_named_on_the_public_survey(cast, client):
    """Reproducer: GET /s/<Paris link>/ listed "Claire Martin" under "Who served you?" although
    nothing recorded that she agreed to be shown to customers."""
    page = client.get(f"/s/{cast.par_link.slug}/").content.decode()
    assert "Claire Martin" not in page
    cast.claire.shown_to_customers = True
    cast.claire.save()
    assert "Claire Martin" in client.get(f"/s/{cast.par_link.slug}/").content.decode()


def test_only_those_who_agreed_are_listed_at_a_store(cast, client):
    person_create(name="Niels Ny", locations=[cast.cph])
    page = client.get(f"/s/{cast.cph_link.slug}/").content.decode()
    assert "Anders Holm" in page and "Birgitte Lund" in page and "Niels Ny" not in page


def test_a_link_for_a_person_who_did_not_agree_credits_them_without_showing_their_name(cast, client):
    link = channel_create(survey=cast.survey, location=cast.par, person=cast.claire)
    assert "Claire Martin" not in client.get(f"/s/{link.slug}/").content.decode()
    client.post(f"/s/{link.slug}/", {"q_return": "9", "q_expectation": "met"})
    assert list(Response.objects.get().people.all()) == [cast.claire]
