"""Optional two-factor sign-in (TOTP): once a login turns it on, its password alone opens neither
the site nor the back office."""

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def _code(device, *, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def _turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/account/two-factor/", {"otp_token": _code(device)}).status_code == 302
    client.logout()
    device.refresh_from_db()
    assert device.confirmed
    # The code just used may not be used again; the next step's code is valid within the drift allowed.
    device.last_t = -1
    device.save()
    return device


def _sign_in(client, path, username, password, code=""):
    return client.post(path, {"username": username, "password": password, "otp_token": code}, REMOTE_ADDR="203.0.113.9")


def test_a_login_without_two_factor_signs_in_with_the_password_alone(cast, client):
    assert _sign_in(client, "/login/", "olivia", "pw-olivia").status_code == 302


def test_a_login_with_two_factor_needs_the_code_on_the_site(cast, client):
    device = _turn_on(client, cast.owner)
    page = _sign_in(client, "/login/", "olivia", "pw-olivia")
    assert page.status_code == 200 and "Enter the code from your authenticator app" in page.content.decode()
    assert "_auth_user_id" not in client.session
    page = _sign_in(client, "/login/", "olivia", "pw-olivia", code="000000" if _code(device) != "000000" else "111111")
    assert "not right" in page.content.decode() and "_auth_user_id" not in client.session
    # django-otp slows guessing: after a wrong code even the right one waits (1 s, doubling).
    assert _sign_in(client, "/login/", "olivia", "pw-olivia", code=_code(device)).status_code == 200
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    assert _sign_in(client, "/login/", "olivia", "pw-olivia", code=_code(device)).status_code == 302
    assert client.session["otp_device_id"] == device.persistent_id


def test_a_login_with_two_factor_needs_the_code_in_the_back_office_too(cast, client):
    cast.owner.is_staff = True
    cast.owner.save()
    device = _turn_on(client, cast.owner)
    page = _sign_in(client, "/admin/login/", "olivia", "pw-olivia")
    assert page.status_code == 200 and "Enter the code from your authenticator app" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert _sign_in(client, "/admin/login/", "olivia", "pw-olivia", code=_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_codes_are_asked_in_the_readers_language(cast, client):
    _turn_on(client, cast.manager)
    page = client.post("/login/", {"username": "mette", "password": "pw-mette"}, HTTP_ACCEPT_LANGUAGE="fi")
    assert "todennussovelluksestasi" in page.content.decode()


def test_a_wrong_code_does_not_turn_two_factor_on(cast, client):
    client.force_login(cast.manager)
    client.get("/account/two-factor/")
    device = TOTPDevice.objects.get(user=cast.manager)
    wrong = "123456" if _code(device) != "123456" else "654321"
    page = client.post("/account/two-factor/", {"otp_token": wrong})
    assert page.status_code == 400 and "not right" in page.content.decode()
    assert not TOTPDevice.objects.filter(confirmed=True).exists()


def test_turning_two_factor_off_takes_a_current_code(cast, client):
    device = _turn_on(client, cast.owner)
    client.force_login(cast.owner)
    assert client.post("/account/two-factor/", {"otp_token": ""}).status_code == 400
    assert TOTPDevice.objects.filter(user=cast.owner, confirmed=True).exists()
    assert client.post("/account/two-factor/", {"otp_token": _code(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.owner).exists()
    client.logout()
    assert _sign_in(client, "/login/", "olivia", "pw-olivia").status_code == 302
