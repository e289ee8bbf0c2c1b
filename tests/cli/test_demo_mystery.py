"""The demo's mystery shopping gives the results page something to show (issue 10, "Done when")."""

import time

from django.contrib.auth.models import User

from exceed.mystery import selectors
from exceed.mystery.models import Assignment, Dispute, Programme, Report
from exceed.org.models import Location
from exceed.org.scopes import scope_for


def test_the_demo_has_six_months_of_approved_shops_in_every_store_and_two_calibration_pairs(db, exceed):
    started = time.monotonic()
    status, _out, err = exceed("demo", "--no-serve", "--responses", "50")
    elapsed = time.monotonic() - started
    assert status == 0, err
    stores = Location.objects.count()
    counted = Report.objects.filter(counts=True)
    assert stores == 12
    assert counted.values("assignment__location").distinct().count() == stores
    assert counted.values("assignment__period").distinct().count() >= 6
    twins = Assignment.objects.filter(calibration_of__isnull=False, report__counts=True)
    assert twins.count() == 2
    assert Dispute.objects.exists()
    owner = User.objects.get(username="owner")
    found = selectors.results_for(scope_for(owner), programme=Programme.objects.get())
    assert len(found.locations) == stores and any(row.ranked for row in found.locations)
    assert found.items and found.separation and len(found.trend) >= 6
    assert len(selectors.calibration_gaps(scope_for(owner))) == 2
    # The whole demo, customers included, stays quick enough for a first run.
    assert elapsed < 60
