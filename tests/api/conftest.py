"""An API client per role of the shared cast, each with its own bearer token."""

import json

import pytest

from exceed.api.models import ApiToken
from exceed.feedback.models import ChannelKind
from exceed.feedback.services import response_submit
from tests.conftest import at


class ApiClient:
    def __init__(self, client, key: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: dict):
        return self.client.post(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, body: dict):
        return self.client.patch(
            f"/api/v1{path}", json.dumps(body), content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(cast, client):
    """``api_as("manager").get("/locations")``: calls the API with that role's token."""
    keys = {}

    def for_role(role: str) -> ApiClient:
        if role not in keys:
            _token, keys[role] = ApiToken.issue(user=cast.roles[role])
        return ApiClient(client, keys[role])

    return for_role


ROLES = ["owner", "regional", "manager", "associate", "shopper", "outsider"]


@pytest.fixture
def feedback(cast):
    """Five responses: three in Copenhagen (one naming Anders), one in Aarhus, one in Paris."""

    def submit(location, day, score, *, people=(), touchpoint=None, language="da", kind=ChannelKind.LINK, **kwargs):
        return response_submit(
            survey=cast.survey,
            location=location,
            raw_answers={"return": score, "expectation": "met", **kwargs.pop("answers", {})},
            language=language,
            channel_kind=kind,
            touchpoint=touchpoint,
            people=list(people),
            submitted_at=at(2026, 4, day),
            **kwargs,
        )

    return {
        "cph_anders": submit(
            cast.cph,
            1,
            10,
            people=[cast.anders],
            touchpoint=cast.in_store,
            answers={"contact": "yes"},
            contact={"email": "k@example.com"},
        ),
        "cph_birgitte": submit(cast.cph, 2, 7, people=[cast.birgitte], touchpoint=cast.phone, language="en"),
        "cph_plain": submit(cast.cph, 3, 3, kind=ChannelKind.KIOSK),
        "aar": submit(cast.aar, 4, 9),
        "par": submit(cast.par, 5, 8, language="fr", people=[cast.claire]),
    }
