"""The organisation's objects outside every scope but the owner's: Paris and its region, Claire, a
Paris login and its token; and a touchpoint, which only the owner edits."""

from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from exceed.api.models import ApiToken
from exceed.org.models import Role
from exceed.org.services import user_create
from tests.scope import OutsideScope


def outside_scope(cast, found) -> OutsideScope:
    # A Paris manager's login (Claire's) and their API token: only the owner may manage them.
    login = user_create(
        username="pierre",
        email="pierre@example.fr",
        password="pw-pierre",
        role=Role.LOCATION_MANAGER,
        locations=[cast.par],
        person=cast.claire,
    )
    token = ApiToken.issue(user=login, name="Paris till")[0]

    def login_unchanged():
        login.refresh_from_db()
        token.refresh_from_db()
        assert login.is_active and login.check_password("pw-pierre") and not token.revoked
        assert login.membership.role == Role.LOCATION_MANAGER

    def organisation_unchanged():
        for thing in (cast.par, cast.south, cast.claire, cast.phone):
            thing.refresh_from_db()
        assert (cast.par.name, cast.par.region_id, cast.par.active) == ("Paris", cast.south.pk, True)
        assert cast.south.name == "South" and cast.phone.name == "Phone" and cast.phone.names == {}
        assert (
            cast.claire.name == "Claire Martin"
            and cast.claire.active
            and list(cast.claire.locations.all()) == [cast.par]
        )

    return OutsideScope(
        objects={"login": login, "token": token},
        values={
            "code": cast.par.code,
            "person_id": cast.claire.pk,
            "user_id": login.pk,
            "token_id": token.pk,
            "uidb64": urlsafe_base64_encode(force_bytes(login.pk)),
            "token": "x",
            "region_id": cast.south.pk,
            "touchpoint_id": cast.phone.pk,
        },
        markers=["Claire Martin"],
        colleague_markers=["Birgitte Lund"],
        unchanged=[login_unchanged, organisation_unchanged],
    )
