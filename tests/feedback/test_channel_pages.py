"""A store's managers run its links and kiosks from the pages (issue 8, item 1): create, rename,
revoke and bring back, and re-issue the address; nobody outside the store's scope can."""

import pytest

from exceed.feedback.models import Channel, ChannelKind


@pytest.fixture
def manager(cast, client):
    client.force_login(cast.manager)  # Mette manages Copenhagen only
    return client


def test_a_manager_creates_a_kiosk_for_a_touchpoint_at_their_store(cast, manager):
    answer = manager.post(
        "/channels/",
        {
            "kind": "kiosk",
            "name": "Exit tablet",
            "survey": cast.survey.pk,
            "location": cast.cph.pk,
            "touchpoint": cast.phone.pk,
        },
    )

    kiosk = Channel.objects.get(name="Exit tablet")
    assert answer.status_code == 302 and answer["Location"] == f"/channels/{kiosk.slug}/"
    assert (kiosk.kind, kiosk.location, kiosk.touchpoint) == (ChannelKind.KIOSK, cast.cph, cast.phone)


def test_a_manager_renames_a_link_and_credits_a_colleague_and_its_address_stays(cast, manager):
    slug = cast.cph_link.slug

    answer = manager.post(
        f"/channels/{slug}/edit/", {"name": "  Till   poster ", "touchpoint": cast.phone.pk, "person": cast.birgitte.pk}
    )

    assert answer.status_code == 302
    link = Channel.objects.get(pk=cast.cph_link.pk)
    assert (link.name, link.touchpoint, link.person, link.slug) == ("Till poster", cast.phone, cast.birgitte, slug)
    assert "Till poster" in manager.get(f"/channels/{slug}/").content.decode()


def test_crediting_someone_from_another_store_is_a_form_error_in_the_readers_language(cast, manager):
    answer = manager.post(
        f"/channels/{cast.cph_link.slug}/edit/",
        {"name": "Counter", "person": cast.claire.pk},
        HTTP_ACCEPT_LANGUAGE="da",
    )

    assert answer.status_code == 400
    # Claire works in Paris: she is not even offered, and the choice is refused in Danish.
    assert "Marker en gyldig valgmulighed" in answer.content.decode()
    assert Channel.objects.get(pk=cast.cph_link.pk).name == "Copenhagen counter"


def test_a_name_over_120_characters_is_refused_and_nothing_changes(cast, manager):
    answer = manager.post(f"/channels/{cast.cph_link.slug}/edit/", {"name": "x" * 121}, HTTP_ACCEPT_LANGUAGE="fr")

    assert answer.status_code == 400 and "120" in answer.content.decode()
    assert Channel.objects.get(pk=cast.cph_link.pk).name == "Copenhagen counter"


def test_a_revoked_link_no_longer_opens_the_survey_and_comes_back_when_brought_back(cast, manager, client):
    path = f"/s/{cast.cph_link.slug}/"
    assert manager.post(f"/channels/{cast.cph_link.slug}/active/", {"active": "0"}).status_code == 302
    assert not Channel.objects.get(pk=cast.cph_link.pk).active
    manager.logout()
    assert client.get(path).status_code == 404

    manager.force_login(cast.manager)
    assert manager.post(f"/channels/{cast.cph_link.slug}/active/", {"active": "1"}).status_code == 302
    manager.logout()
    assert client.get(path).status_code == 200


def test_an_active_value_other_than_0_or_1_is_a_400_and_changes_nothing(cast, manager):
    answer = manager.post(f"/channels/{cast.cph_link.slug}/active/", {"active": "yes"})

    assert answer.status_code == 400 and "active=0" in answer.content.decode()
    assert Channel.objects.get(pk=cast.cph_link.pk).active


def test_re_issuing_a_kiosk_gives_a_new_address_and_key_and_the_old_ones_stop_working(cast, manager, client):
    old_slug, old_key = cast.cph_kiosk.slug, cast.cph_kiosk.kiosk_key

    answer = manager.post(f"/channels/{old_slug}/reissue/")

    kiosk = Channel.objects.get(pk=cast.cph_kiosk.pk)
    assert kiosk.slug != old_slug and kiosk.kiosk_key != old_key
    assert answer["Location"] == f"/channels/{kiosk.slug}/"
    manager.logout()
    assert client.get(f"/k/{old_slug}/?key={old_key}").status_code == 404


def test_a_manager_of_another_store_can_neither_see_nor_change_its_links(cast, client):
    client.force_login(cast.manager)  # Copenhagen's manager, and the link is in Paris
    slug = cast.par_link.slug
    for path, data in (("edit/", {"name": "Mine now"}), ("active/", {"active": "0"}), ("reissue/", {})):
        assert client.post(f"/channels/{slug}/{path}", data).status_code == 404
    link = Channel.objects.get(pk=cast.par_link.pk)
    assert (link.slug, link.name, link.active) == (slug, "", True)


def test_an_associate_may_not_manage_links(cast, client):
    client.force_login(cast.associate)
    assert client.post(f"/channels/{cast.cph_link.slug}/active/", {"active": "0"}).status_code == 403
    assert Channel.objects.get(pk=cast.cph_link.pk).active
