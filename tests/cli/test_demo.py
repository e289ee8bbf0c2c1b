from django.contrib.auth import authenticate
from django.db.models import Q
from django.test import RequestFactory

from exceed.feedback.models import Channel, DailyMeasure, Invitation, Response
from exceed.feedback.rollup import rollup_rebuild
from exceed.mystery.models import Report, Shopper
from exceed.mystery.selectors import one_per_calibration_pair
from exceed.org.models import Location, Person, Region
from exceed.org.scopes import scope_for

MEASURE_FIELDS = [field.name for field in DailyMeasure._meta.concrete_fields if field.name != "id"]


def test_demo_creates_the_chain_once_and_prints_a_login_per_role(db, exceed):
    status, out, err = exceed("demo", "--no-serve", "--responses", "400", "--port", "8765")
    assert status == 0, err
    assert Region.objects.count() == 3
    assert Location.objects.count() == 12
    assert set(Location.objects.values_list("default_language", flat=True)) == {"da", "fr", "et", "fi", "en"}
    # Every store has its place and every shopper a home point, so "shops near me" has distances.
    assert not Location.objects.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)).exists()
    assert not Shopper.objects.filter(Q(home_latitude__isnull=True) | Q(travel_km__isnull=True)).exists()
    assert Person.objects.count() == 120
    customers = Response.objects.exclude(channel_kind="mystery")
    assert customers.count() == 400
    assert Channel.objects.count() == 24
    assert Invitation.objects.exclude(status="answered").exists()
    # About 60% of responses name someone.
    named = customers.filter(people__isnull=False).distinct().count()
    assert 0.45 < named / 400 < 0.75
    rows = DailyMeasure.objects.filter(person_id=0)
    assert sum(rows.exclude(channel_kind="mystery").values_list("responses", flat=True)) == 400
    # Each approved shop that counts is one mystery response in the measures, and the rollup is exact.
    # A calibration pair is one shop in the measures, as in the programme's results.
    shops = one_per_calibration_pair(Report.objects.filter(counts=True)).count()
    assert shops < Report.objects.filter(counts=True).count()  # the demo has calibration pairs
    assert shops > 50 and Response.objects.filter(channel_kind="mystery").count() == shops
    assert sum(rows.filter(channel_kind="mystery").values_list("responses", flat=True)) == shops
    kept = set(DailyMeasure.objects.values_list(*MEASURE_FIELDS))
    rollup_rebuild()
    assert set(DailyMeasure.objects.values_list(*MEASURE_FIELDS)) == kept

    assert "http://127.0.0.1:8765/dashboard/" in out
    link = Channel.objects.get(location__code="cph", kind="link")
    assert f"http://127.0.0.1:8765/s/{link.slug}/" in out
    roles = {}
    for username in ("owner", "regional", "manager", "associate", "shopper"):
        assert f"{username} / exceed-demo" in out
        roles[username] = scope_for(
            authenticate(RequestFactory().post("/login/"), username=username, password="exceed-demo")
        ).role
    assert roles == {
        "owner": "owner",
        "regional": "regional_manager",
        "manager": "location_manager",
        "associate": "associate",
        "shopper": "mystery_shopper",
    }

    status, out, _err = exceed("demo", "--no-serve", "--responses", "400", "--port", "8765")
    assert status == 0
    assert "exists already" in out
    assert (customers.count(), Person.objects.count(), Location.objects.count()) == (400, 120, 12)


def test_demo_comments_are_in_the_language_of_the_response(db, exceed):
    from exceed.demo_texts import COMMENTS

    exceed("demo", "--no-serve", "--responses", "300")
    for response in Response.objects.exclude(comment="")[:100]:
        templates = [text for mood in COMMENTS[response.language].values() for text in mood]
        assert any(response.comment == text or text.split("{name}")[-1] in response.comment for text in templates)
