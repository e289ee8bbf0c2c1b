"""Pages for logins (owners; regional managers within their regions) and for one's own API tokens.

Thin: the form offers what the scope may give, the services in org/logins.py decide and write.
A login outside the scope answers 404, as if it did not exist.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.models import User
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.errors import DomainError
from exceed.org import logins
from exceed.org.decorators import scope_required
from exceed.org.forms import LoginForm, TokenForm
from exceed.org.selectors import api_tokens_of, logins_manageable

login_managers_only = scope_required(lambda scope: scope.manages_logins)
token_holders_only = scope_required(lambda scope: scope.may_hold_api_tokens)


def _managed_login(request, user_id: int) -> User:
    user = get_object_or_404(User.objects.select_related("membership", "person"), pk=user_id)
    if not request.scope.may_manage_login(user):
        raise Http404
    return user


def _grant(form: LoginForm) -> dict:
    data = form.cleaned_data
    return {
        "email": data["email"],
        "role": data["role"],
        "regions": list(data["regions"]),
        "locations": list(data["locations"]),
        "person": data["person"],
        "language": data.get("language") or "",
    }


def _send_invitation(request, user: User, language: str | None) -> None:
    """Send the set-password email; a mail failure is reported, the login stays as saved."""
    language = language or logins.login_language(user=user, fallback=get_language() or "en")
    try:
        logins.login_invitation_send(user=user, language=language, invited_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    except Exception as error:  # any SMTP or network failure is the same to the user
        messages.error(
            request,
            _("The invitation email to %(email)s could not be sent (%(error)s). Send it again from the login's page.")
            % {"email": user.email, "error": error},
        )
    else:
        messages.success(
            request, _("An invitation to choose a password was sent to %(email)s.") % {"email": user.email}
        )


@login_managers_only
def login_list(request):
    return render(request, "org/login_list.html", {"logins": logins_manageable(request.scope)})


@login_managers_only
def login_new(request):
    form = LoginForm(request.POST or None, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            user = logins.login_invite(by=request.scope, username=form.cleaned_data["username"], **_grant(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The login %(username)s was created.") % {"username": user.username})
            _send_invitation(request, user, form.cleaned_data["language"])
            return HttpResponseRedirect(reverse("org:logins"))
    return render(request, "org/login_form.html", {"form": form, "login": None})


@login_managers_only
def login_edit(request, user_id):
    user = _managed_login(request, user_id)
    membership = getattr(user, "membership", None)
    initial = {"email": user.email, "person": getattr(user, "person", None)}
    if membership is not None:
        initial.update(
            role=membership.role,
            regions=list(membership.regions.all()),
            locations=list(membership.locations.all()),
            language=membership.language,
        )
    form = LoginForm(request.POST or None, scope=request.scope, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            logins.login_update(by=request.scope, user=user, **_grant(form))
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The login %(username)s was saved.") % {"username": user.username})
            return HttpResponseRedirect(reverse("org:logins"))
    return render(request, "org/login_form.html", {"form": form, "login": user})


@login_managers_only
@require_POST
def login_active(request, user_id):
    user = _managed_login(request, user_id)
    active = request.POST.get("active") == "1"
    try:
        logins.login_set_active(by=request.scope, user=user, active=active)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        text = (
            _("The login %(username)s can sign in again.")
            if active
            else _("The login %(username)s is deactivated; its API tokens no longer work.")
        )
        messages.success(request, text % {"username": user.username})
    return HttpResponseRedirect(reverse("org:logins"))


@login_managers_only
@require_POST
def login_invite_again(request, user_id):
    user = _managed_login(request, user_id)
    _send_invitation(request, user, request.POST.get("language") or None)
    return HttpResponseRedirect(reverse("org:logins"))


class WelcomeView(auth_views.PasswordResetConfirmView):
    """The invitation's link: choose a password, then sign in. Django's reset token, so the link
    stops working once a password is set (the token covers the password hash)."""

    template_name = "org/welcome.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. Sign in with your username and new password."))
        return super().form_valid(form)


welcome = WelcomeView.as_view()


# --- API tokens (one's own) ----------------------------------------------------------------------


def _own_token(request, token_id: int):
    return get_object_or_404(api_tokens_of(request.user), pk=token_id)


@token_holders_only
def token_list(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = logins.api_token_create(user=request.user, name=form.cleaned_data["name"])
        except DomainError as error:
            form.add_error("name", error.message)
        else:
            # Rendered, not redirected: the key is shown this once and never stored in a session.
            form = TokenForm()
    context = {"tokens": api_tokens_of(request.user), "form": form, "new_key": new_key}
    return render(request, "org/token_list.html", context)


@token_holders_only
@require_POST
def token_rename(request, token_id):
    token = _own_token(request, token_id)
    try:
        logins.api_token_rename(token=token, name=request.POST.get("name", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The token was renamed."))
    return HttpResponseRedirect(reverse("org:tokens"))


@token_holders_only
@require_POST
def token_revoke(request, token_id):
    token = _own_token(request, token_id)
    logins.api_token_revoke(token=token)
    messages.success(
        request, _("The token %(name)s is revoked; it no longer works.") % {"name": token.name or token.prefix}
    )
    return HttpResponseRedirect(reverse("org:tokens"))
