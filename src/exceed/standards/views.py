"""The charter and the playbook pages: thin, each asking ``scope_for`` and a selector."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def playbook(request):
    return HttpResponse("")


@login_required
def charter(request):
    return HttpResponse("")


@login_required
def entry(request, entry_id: int):
    return HttpResponse("")
