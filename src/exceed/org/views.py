from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from exceed.org.scopes import scope_for


@login_required
def home(request):
    """Where a login lands: staff on their dashboard; everyone else on a page meant for them,
    never on a bare 403."""
    if scope_for(request.user).sees_staff_data:
        return redirect("insights:dashboard")
    return render(request, "home.html")
