"""The API client per role, shared with tests/api."""

import pytest

from tests.api.conftest import api_as  # noqa: F401


@pytest.fixture(autouse=True)
def _receivers_on_loopback(settings):
    """The test receiver listens on 127.0.0.1, which a real installation refuses by default."""
    settings.EXCEED_WEBHOOKS_ALLOW_INTERNAL = True
