"""A wrong method on an API path answers in the API's one error shape, not Django's empty 405."""

import json

from django.http import HttpResponseNotAllowed
from django.utils.translation import gettext as _


class ApiMethodNotAllowed:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed) and request.path.startswith("/api/"):
            response.content = json.dumps({"detail": _("Method not allowed."), "field": None}).encode()
            response["Content-Type"] = "application/json"
        return response
