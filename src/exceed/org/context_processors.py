from exceed.org.scopes import scope_for


def scope(request):
    """Templates show or hide navigation by the same scope the selectors filter with."""
    if not hasattr(request, "user"):
        return {}
    if not hasattr(request, "_exceed_scope"):
        request._exceed_scope = scope_for(request.user)
    return {"scope": request._exceed_scope}
