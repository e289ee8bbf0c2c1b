"""One's own API tokens: create (shown once), name, revoke; a revoked token stops at once."""

import re

from exceed.api.models import ApiToken


def _create(client, name="Till 3"):
    page = client.post("/tokens/", {"name": name}).content.decode()
    return re.search(r'id="new-token-key">(exc_[\w-]+)<', page).group(1)


def test_a_created_token_is_shown_once_and_works_against_the_api(cast, client):
    client.force_login(cast.manager)
    key = _create(client)
    assert client.get("/api/v1/locations", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    listing = client.get("/tokens/").content.decode()
    assert "Till 3" in listing and key not in listing and key[:8] in listing


def test_a_revoked_token_stops_at_once(cast, client):
    client.force_login(cast.manager)
    key = _create(client)
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/locations", **api).status_code == 200
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    assert client.get("/api/v1/locations", **api).status_code == 401
    assert "revoked" in client.get("/tokens/").content.decode()


def test_a_token_is_renamed_and_an_empty_name_is_refused(cast, client):
    client.force_login(cast.manager)
    _create(client)
    token = ApiToken.objects.get(user=cast.manager)
    client.post(f"/tokens/{token.pk}/", {"name": "Back-office script"})
    token.refresh_from_db()
    assert token.name == "Back-office script"
    answer = client.post(f"/tokens/{token.pk}/", {"name": "  "}, follow=True)
    assert "Give the token a name" in answer.content.decode()
    token.refresh_from_db()
    assert token.name == "Back-office script"


def test_nobody_sees_renames_or_revokes_someone_elses_token(cast, client):
    owners_token = ApiToken.issue(user=cast.owner, name="Owner's script")[0]
    client.force_login(cast.regional)
    assert "Owner's script" not in client.get("/tokens/").content.decode()
    assert client.post(f"/tokens/{owners_token.pk}/revoke/").status_code == 404
    assert client.post(f"/tokens/{owners_token.pk}/", {"name": "taken"}).status_code == 404
    owners_token.refresh_from_db()
    assert (owners_token.revoked, owners_token.name) == (False, "Owner's script")


def test_a_login_without_a_role_has_no_token_page(cast, client):
    client.force_login(cast.outsider)
    assert client.get("/tokens/").status_code == 403
    assert client.post("/tokens/", {"name": "x"}).status_code == 403
    assert not ApiToken.objects.filter(user=cast.outsider).exists()
