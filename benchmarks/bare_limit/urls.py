"""The reference view, and a count of what it stored (for the benchmark's stored = acknowledged)."""

import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from bare_limit.models import Answer, Response

EXPECTATION = {"below": -1, "met": 0, "exceeded": 1}


def _check(answers: dict) -> dict:
    """The five questions of the "visit" survey, checked as strictly as Exceed checks them."""
    checked = {}
    score = answers.get("return")
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        raise ValueError("return")
    checked["return"] = {"number": score}
    expectation = answers.get("expectation")
    if expectation is not None:
        if expectation not in EXPECTATION:
            raise ValueError("expectation")
        checked["expectation"] = {"number": EXPECTATION[expectation]}
    difference = answers.get("difference") or ""
    if not isinstance(difference, str) or len(difference) > 2000:
        raise ValueError("difference")
    if difference:
        checked["difference"] = {"text": difference}
    served_by = answers.get("served_by") or []
    if not isinstance(served_by, list) or not all(isinstance(pk, int) for pk in served_by):
        raise ValueError("served_by")
    if served_by:
        checked["served_by"] = {"choices": [str(pk) for pk in served_by]}
    contact = answers.get("contact")
    if contact is not None:
        if not isinstance(contact, bool):
            raise ValueError("contact")
        checked["contact"] = {"number": int(contact)}
    return checked


@csrf_exempt
def submit(request):
    try:
        payload = json.loads(request.body)
        checked = _check(payload["answers"])
        location, touchpoint = str(payload["location"]), str(payload.get("touchpoint") or "")
    except (ValueError, KeyError, TypeError) as error:
        return JsonResponse({"detail": "invalid", "field": str(error)}, status=422)
    with transaction.atomic():
        response = Response.objects.create(
            location=location,
            touchpoint=touchpoint,
            submitted_at=timezone.now(),
            return_likelihood=checked["return"]["number"],
            expectation=checked.get("expectation", {}).get("number"),
            comment=checked.get("difference", {}).get("text", ""),
        )
        Answer.objects.bulk_create(
            Answer(response=response, question=code, **fields) for code, fields in checked.items()
        )
    return _sized(JsonResponse({"id": response.pk}, status=201))


def count(request):
    return _sized(JsonResponse({"stored": Response.objects.count()}))


def _sized(response):
    # What CommonMiddleware would add: without it gunicorn sends the body chunked.
    response["Content-Length"] = str(len(response.content))
    return response


urlpatterns = [path("responses", submit), path("count", count)]
