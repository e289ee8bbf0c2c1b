from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def channel_list(request):
    return render(request, "insights/dashboard.html", {})


@login_required
def survey_list(request):
    return render(request, "insights/dashboard.html", {})
