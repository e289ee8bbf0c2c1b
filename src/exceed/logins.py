"""Sign-in protection: the lockout page (django-axes calls it), and optional two-factor sign-in
with an authenticator app (TOTP, django-otp) that anyone — owners and managers first — can turn on.

A login with a confirmed device needs its current code on both doors, the site's /login/ and the
back office's /admin/login/; a login without one signs in with the password alone, as before.
"""

import math

import segno
from axes.helpers import get_cool_off
from django import forms
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page in the reader's language, with the minutes left of the lock's full length.

    The same for the site's sign-in and the back office's (/admin/login/): axes' middleware puts it
    in place of whichever page refused the password. 429, as for the survey throttle.
    """
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)


# --- Two-factor sign-in ------------------------------------------------------------------------


def totp_device_for(*, user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they turned two-factor sign-in on."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_device_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator (a fresh secret) for the user to scan; it counts once confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm a scanned authenticator with a code it shows; a wrong code leaves two-factor off."""
    with transaction.atomic():
        if not token.strip() or not device.verify_token(token.strip()):
            return False
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def totp_device_remove(*, user, token: str) -> bool:
    """Turn two-factor sign-in off; it takes a current code, so a left-open session alone cannot."""
    device = totp_device_for(user=user)
    # An empty code is no guess: it must not start django-otp's wait before the next try.
    if device is None or not token.strip() or not device.verify_token(token.strip()):
        return False
    TOTPDevice.objects.filter(user=user).delete()
    return True


def _code_field():
    return forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TwoFactorCheck:
    """After the password (and axes) accepted a user: their authenticator's code, if they have one.

    A wrong code is no failed password for axes; django-otp slows guessing per device instead
    (each failure doubles the wait before the next code is tried).
    """

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = totp_device_for(user=user) if user is not None else None
        if device is not None:
            token = (cleaned.get("otp_token") or "").strip()
            if not token:
                raise ValidationError(_("Enter the code from your authenticator app."), code="token_required")
            if not device.verify_token(token):
                raise ValidationError(
                    _("That code is not right, or it has expired. Enter the code your app shows now."),
                    code="invalid_token",
                )
            # django_otp marks the session as verified with this device when Django logs the user in.
            user.otp_device = device
        return cleaned


class SignInForm(TwoFactorCheck, AuthenticationForm):
    otp_token = _code_field()


class BackOfficeSignInForm(TwoFactorCheck, AdminAuthenticationForm):
    otp_token = _code_field()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Turn two-factor sign-in on (scan, then confirm with a code) or off (with a code)."""
    device = totp_device_for(user=request.user)
    error = None
    if request.method == "POST":
        token = request.POST.get("otp_token", "")
        if device is not None:
            if totp_device_remove(user=request.user, token=token):
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("two_factor")
            error = _("That code is not right, or it has expired. Enter the code your app shows now.")
        else:
            pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
            if pending is not None and totp_device_confirm(device=pending, token=token):
                otp_login(request, pending)
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("two_factor")
            error = _("That code is not right, or it has expired. Enter the code your app shows now.")
    context = {"enabled": device is not None, "error": error}
    if device is None:
        pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if pending is None or request.method == "GET":
            pending = totp_device_start(user=request.user)
        context["qr_svg"] = segno.make(pending.config_url, error="m").svg_inline(scale=4, omitsize=False)
        context["secret"] = _base32(pending.bin_key)
    return render(request, "registration/two_factor.html", context, status=400 if error else 200)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    text = b32encode(key).decode().rstrip("=")
    return " ".join(text[index : index + 4] for index in range(0, len(text), 4))
