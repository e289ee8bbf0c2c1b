"""View guards that read the one scope (exceed.org.scopes) and refuse with 403 outside it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from exceed.org.scopes import scope_for


def scope_required(check):
    """Require a signed-in user whose Scope passes ``check`` (e.g. ``lambda s: s.is_owner``).

    Sets ``request.scope`` for the view and its templates.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.scope = request._exceed_scope = scope_for(request.user)
            if not check(request.scope):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


managers_only = scope_required(lambda scope: scope.manages_locations)
owners_only = scope_required(lambda scope: scope.is_owner)
staff_only = scope_required(lambda scope: scope.sees_staff_data)
