import pytest

from tests.privacy.customers import customer_held


@pytest.fixture
def held(cast):
    return customer_held(cast)
