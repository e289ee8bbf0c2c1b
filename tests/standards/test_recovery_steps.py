"""The recovery case page shows the chain's published "service failure" entry for each step."""

from exceed.standards import services
from exceed.standards.selectors import service_failure_entries
from tests.recovery.factories import staff_case
from tests.standards.conftest import publish


def _apologise_entries(cast):
    situation = services.situation_create(
        code="failure-apologise",
        name={"en": "Saying sorry"},
        category="service_failure",
        recovery_step="apologise",
    )
    everywhere = services.entry_create(
        situation=situation, touchpoint=None, steps={"en": "Say sorry once, plainly", "fi": "Pyydä anteeksi kerran"}
    )
    on_phone = services.entry_create(
        situation=situation, touchpoint=cast.phone, steps={"en": "Say sorry and give your name"}
    )
    return publish(everywhere), publish(on_phone)


def test_a_touchpoints_own_entry_wins_over_the_one_for_every_touchpoint(cast):
    everywhere, on_phone = _apologise_entries(cast)
    assert service_failure_entries(touchpoint_id=cast.phone.pk) == {"apologise": on_phone}
    assert service_failure_entries(touchpoint_id=cast.in_store.pk) == {"apologise": everywhere}


def test_the_case_page_shows_the_published_entry_beside_its_step_and_the_default_elsewhere(cast, client):
    _apologise_entries(cast)
    case = staff_case(cast)
    client.force_login(cast.manager)
    page = client.get(f"/recovery/{case.pk}/").content.decode()
    assert "Say sorry once, plainly" in page
    # The steps without an entry keep the built-in guidance.
    assert "Put it right straight away" in page
    # A draft is not shown: the built-in text for "apologise" is gone only while an entry is in force.
    assert "No excuses, no justification" not in page
