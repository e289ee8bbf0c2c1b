from exceed.api.models import ApiToken


def test_tokens_are_listed_without_their_keys(cast, exceed):
    _token, key = ApiToken.issue(user=cast.manager, name="Till 3")
    ApiToken.issue(user=cast.owner, name="Owner script")
    status, out, err = exceed("token", "list")
    assert status == 0, err
    assert "Till 3" in out and "Owner script" in out and "mette" in out
    assert key not in out and key[:8] in out


def test_the_list_is_narrowed_to_one_user(cast, exceed):
    ApiToken.issue(user=cast.manager, name="Till 3")
    ApiToken.issue(user=cast.owner, name="Owner script")
    _status, out, _err = exceed("token", "list", "--username", "mette")
    assert "Till 3" in out and "Owner script" not in out
    status, _out, err = exceed("token", "list", "--username", "nobody")
    assert status == 1 and "'nobody'" in err


def test_a_revoked_token_stops_at_once(cast, exceed, client):
    token, key = ApiToken.issue(user=cast.manager, name="Till 3")
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/locations", **api).status_code == 200
    status, out, err = exceed("token", "revoke", token.pk)
    assert status == 0, err
    assert "Till 3" in out
    assert client.get("/api/v1/locations", **api).status_code == 401
    _status, listing, _err = exceed("token", "list")
    assert "revoked" in listing


def test_an_unknown_token_id_is_named(db, exceed):
    status, out, err = exceed("token", "revoke", "4711")
    assert status == 1 and "'4711'" in err and out == ""
    status, _out, err = exceed("token", "revoke", "abc")
    assert status == 1 and "'abc'" in err
