"""Who owns an API token, read in one query (the API's bearer authentication asks; see org/apps.py)."""

from django.contrib.auth.models import User
from django.db import connection

from exceed.api.models import ApiToken
from exceed.org.models import Membership


def token_owner(key_hash: str, *, stale_before) -> tuple[User, ApiToken, bool] | None:
    """The user of an unrevoked token, their membership and whether the token's stamp is stale, in one query.

    Every API call pays for this, and the ORM's ``select_related`` over token, user and membership
    cost 13 % of a posted response (py-spy, benchmarks/ingest.py): compiling the three-table query
    took far longer than running it. A raw query on the user with the other values alongside
    builds the same objects; the token is checked on every call, so a revoked one stops at once.
    """
    quote = connection.ops.quote_name
    users, tokens, memberships = (quote(model._meta.db_table) for model in (User, ApiToken, Membership))
    rows = list(
        User.objects.raw(
            f"SELECT u.*, t.id AS exceed_token_id, m.id AS exceed_membership_id, m.role AS exceed_membership_role, "
            "CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END AS exceed_token_stale "
            f"FROM {users} u JOIN {tokens} t ON t.user_id = u.id LEFT JOIN {memberships} m ON m.user_id = u.id "
            "WHERE t.key_hash = %s AND t.revoked = %s",
            [connection.ops.adapt_datetimefield_value(stale_before), key_hash, False],
        )
    )
    if not rows:
        return None
    user = rows[0]
    if user.exceed_membership_id is None:
        # Cached as absent, so scope_for's look-up does not query again.
        User.membership.related.set_cached_value(user, None)
    else:
        user.membership = Membership.from_db(
            connection.alias,
            ["id", "user_id", "role"],
            [user.exceed_membership_id, user.pk, user.exceed_membership_role],
        )
    api_token = ApiToken.from_db(connection.alias, ["id", "user_id"], [user.exceed_token_id, user.pk])
    return user, api_token, bool(user.exceed_token_stale)
