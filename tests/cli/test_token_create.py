from exceed.api.models import ApiToken


def test_the_printed_token_belongs_to_the_user(cast, exceed):
    status, out, err = exceed("token", "create", "--username", "mette", "--name", "till")
    assert status == 0, err
    key = out.strip()
    token = ApiToken.objects.get(key_hash=ApiToken.hash(key))
    assert (token.user, token.name, token.revoked) == (cast.manager, "till", False)


def test_the_printed_token_authenticates_against_the_api(cast, exceed, client):
    _status, out, _err = exceed("token", "create", "--username", "mette")
    assert client.get("/api/v1/locations", headers={"Authorization": f"Bearer {out.strip()}"}).status_code == 200
    assert client.get("/api/v1/locations", headers={"Authorization": "Bearer exc_made-up"}).status_code == 401
    assert ApiToken.objects.filter(user=cast.manager).count() == 1


def test_a_token_for_an_unknown_user_is_refused(db, exceed):
    status, out, err = exceed("token", "create", "--username", "nobody")
    assert status == 1
    assert "nobody" in err and out == ""
    assert ApiToken.objects.count() == 0
