"""One shared cast, as in zulip's test base: a named user for every role, and an outsider.

North region: Copenhagen (cph) and Aarhus (aar). South region: Paris (par).
"""

from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from exceed.feedback.models import ChannelKind
from exceed.feedback.services import channel_create, default_survey_install
from exceed.org.models import Location, Membership, Person, Region, Role, Touchpoint


class Cast:
    """Everything a test needs by name."""


def _user(username: str, role: str | None, *, regions=(), locations=()):
    user = User.objects.create_user(username=username, email=f"{username}@example.com", password="pw-" + username)
    if role:
        membership = Membership.objects.create(user=user, role=role)
        membership.regions.set(regions)
        membership.locations.set(locations)
    return user


@pytest.fixture
def cast(db):
    c = Cast()
    c.north = Region.objects.create(code="north", name="North")
    c.south = Region.objects.create(code="south", name="South")
    c.cph = Location.objects.create(
        code="cph", name="Copenhagen", region=c.north, timezone="Europe/Copenhagen", default_language="da"
    )
    c.aar = Location.objects.create(
        code="aar", name="Aarhus", region=c.north, timezone="Europe/Copenhagen", default_language="da"
    )
    c.par = Location.objects.create(
        code="par", name="Paris", region=c.south, timezone="Europe/Paris", default_language="fr"
    )
    # get_or_create, not get: transactional tests (live server) flush the migration's rows.
    c.in_store = Touchpoint.objects.get_or_create(code="in-store", defaults={"name": "In store"})[0]
    c.phone = Touchpoint.objects.get_or_create(code="phone", defaults={"name": "Phone", "position": 1})[0]

    c.owner = _user("olivia", Role.OWNER)
    c.regional = _user("rasmus", Role.REGIONAL_MANAGER, regions=[c.north])
    c.manager = _user("mette", Role.LOCATION_MANAGER, locations=[c.cph])
    c.associate = _user("anders", Role.ASSOCIATE)
    c.shopper = _user("sofie", Role.MYSTERY_SHOPPER)
    c.outsider = _user("oscar", None)

    # Anders and Birgitte agreed to be named on the survey pages; Claire did not.
    c.anders = Person.objects.create(
        name="Anders Holm", user=c.associate, job_role="Sales associate", shown_to_customers=True
    )
    c.anders.locations.set([c.cph])
    c.birgitte = Person.objects.create(name="Birgitte Lund", job_role="Sales associate", shown_to_customers=True)
    c.birgitte.locations.set([c.cph])
    c.claire = Person.objects.create(name="Claire Martin", job_role="Vendeuse")
    c.claire.locations.set([c.par])

    c.survey = default_survey_install()
    c.cph_link = channel_create(survey=c.survey, location=c.cph, touchpoint=c.in_store, name="Copenhagen counter")
    c.par_link = channel_create(survey=c.survey, location=c.par, touchpoint=c.in_store)
    c.cph_kiosk = channel_create(survey=c.survey, location=c.cph, kind=ChannelKind.KIOSK, touchpoint=c.in_store)
    c.roles = {
        "owner": c.owner,
        "regional": c.regional,
        "manager": c.manager,
        "associate": c.associate,
        "shopper": c.shopper,
        "outsider": c.outsider,
    }
    return c


def at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.2 s per user; tests are about permissions, not key stretching.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


from tests.smtp import smtp_inbox  # noqa: E402,F401  (a fixture shared by every mail test)


@pytest.fixture
def immediate_tasks(settings):
    """Run enqueued tasks at once; the database worker itself is tested in test_worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _no_monthly_report_emails(settings):
    # On the 1st of a month the worker's hourly job emails every owner and manager the report;
    # tests that count a worker's emails would then fail one day a month. The report's own tests
    # turn it back on.
    settings.EXCEED_MONTHLY_REPORT_EMAILS = False


@pytest.fixture(autouse=True)
def _empty_cache():
    # Nothing cached by one test (survey questions, look-ups) may leak into the next.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_evaluation_queued():
    # Recovery queues one evaluation task per process per half second; a task queued by an
    # earlier test was rolled back with it, so each test starts with none.
    from exceed.recovery import receivers

    receivers.queued_until[0] = 0.0


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test starts in the site's default language: a request or a task that activated Finnish
    must not make the next test's output Finnish."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
