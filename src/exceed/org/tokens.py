"""Who owns an API token, read in one query (the API's bearer authentication asks; see org/apps.py)."""

from django.contrib.auth.models import User
from django.db import connection

from exceed.api.models import ApiToken
from exceed.core.lookups import model_from_values
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
    user_fields = User._meta.concrete_fields
    # A plain cursor, not raw(): building the RawQuerySet's column map cost more than the query.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(f'u.{quote(field.column)}' for field in user_fields)}, t.id, m.id, m.role, "
            "CASE WHEN t.last_used_at IS NULL OR t.last_used_at < %s THEN 1 ELSE 0 END "
            f"FROM {users} u JOIN {tokens} t ON t.user_id = u.id LEFT JOIN {memberships} m ON m.user_id = u.id "
            "WHERE t.key_hash = %s AND t.revoked = %s",
            [connection.ops.adapt_datetimefield_value(stale_before), key_hash, False],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    user = model_from_values(User, row[: len(user_fields)])
    token_id, membership_id, membership_role, stale = row[len(user_fields) :]
    if membership_id is None:
        # Cached as absent, so scope_for's look-up does not query again.
        User.membership.related.set_cached_value(user, None)
    else:
        user.membership = Membership.from_db(
            connection.alias, ["id", "user_id", "role"], [membership_id, user.pk, membership_role]
        )
    api_token = ApiToken.from_db(connection.alias, ["id", "user_id"], [token_id, user.pk])
    return user, api_token, bool(stale)
