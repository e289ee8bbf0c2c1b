"""Sign-in protection: the page a locked-out login sees (django-axes calls it)."""

import math

from axes.helpers import get_cool_off
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page in the reader's language, with the minutes left of the lock's full length.

    The same for the site's sign-in and the back office's (/admin/login/): axes' middleware puts it
    in place of whichever page refused the password. 429, as for the survey throttle.
    """
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(request, "registration/locked_out.html", {"minutes": minutes}, status=429)
