"""Assignments generated over a rhythm in each store's time zone, and the claiming rules."""

from datetime import UTC, datetime, timedelta

import pytest

from exceed.errors import DomainError
from exceed.mystery.models import Assignment
from exceed.mystery.rhythm import within_windows
from exceed.mystery.services.assignments import (
    assignment_claim,
    assignments_expire,
    assignments_generate,
    calibration_pair_create,
)
from exceed.mystery.services.reports import report_problems, report_save
from tests.mystery.factories import NOW, december, programme, shopper, submitted


def test_a_monthly_programme_gets_one_shop_per_store_this_month_and_next_and_only_once(cast):
    prog = programme(cast)
    assert assignments_generate(now=NOW) == 6
    assert assignments_generate(now=NOW) == 0
    periods = sorted(set(Assignment.objects.filter(programme=prog).values_list("period", flat=True)))
    assert periods == ["2026-11", "2026-12"]


def test_a_months_window_starts_at_midnight_in_the_stores_own_time_zone(cast):
    prog = programme(cast)
    cph = december(prog, cast.cph)
    # Copenhagen is UTC+1 in December: the month starts at 23:00 UTC the day before.
    assert cph.window_start == datetime(2026, 11, 30, 23, tzinfo=UTC)
    assert cph.window_end == datetime(2026, 12, 31, 23, tzinfo=UTC)


def test_weekly_and_every_n_days_rhythms_cut_their_own_periods(cast):
    programme(cast, name="Weekly", rhythm="weekly", locations=[cast.cph])
    programme(cast, name="Fortnightly", rhythm="every_n_days", interval_days=14, locations=[cast.aar])
    assignments_generate(now=NOW)
    weekly = Assignment.objects.filter(programme__name="Weekly").order_by("window_start")
    assert [a.period for a in weekly] == ["2026-W49", "2026-W50"]  # 30 Nov 2026 is a Monday
    fortnight = Assignment.objects.filter(programme__name="Fortnightly").order_by("window_start")
    assert [(a.window_end - a.window_start).days for a in fortnight] == [14, 14]


def test_visit_windows_are_read_in_the_stores_time_zone(cast):
    windows = [{"weekday": 1, "start": 14, "end": 17}]  # Tuesday afternoons
    # 13:30 UTC is 14:30 in Copenhagen: inside; 16:30 UTC is 17:30 there: outside.
    assert within_windows(datetime(2026, 12, 1, 13, 30, tzinfo=UTC), windows, cast.cph.zone)
    assert not within_windows(datetime(2026, 12, 1, 16, 30, tzinfo=UTC), windows, cast.cph.zone)


def test_a_visit_outside_the_windows_cannot_be_submitted(cast):
    prog = programme(cast)
    who = shopper()
    assignment = december(prog, cast.cph)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    sunday = datetime(2026, 12, 6, 12, tzinfo=UTC)
    report = report_save(
        assignment=assignment, shopper=who, answers={}, time_in=sunday, time_out=sunday + timedelta(minutes=9)
    )
    assert ("time_in", "The visit was outside the programme's visit windows (store time).") in report_problems(
        report, now=sunday + timedelta(hours=1)
    )


def claim_error(assignment, who, now=NOW):
    with pytest.raises(DomainError) as error:
        assignment_claim(assignment=assignment, shopper=who, now=now)
    return error.value.message


def test_a_shopper_cannot_claim_where_they_are_known(cast):
    prog = programme(cast)
    who = shopper()
    who.excluded_locations.add(cast.cph)
    assert "known at this store" in claim_error(december(prog, cast.cph), who)


def test_a_shopper_cannot_claim_someone_elses_or_an_expired_shop(cast):
    prog = programme(cast)
    first, second = shopper("Sofie"), shopper("Karl")
    assignment = december(prog, cast.cph)
    assignment_claim(assignment=assignment, shopper=first, now=NOW)
    assert "Another shopper" in claim_error(assignment, second)
    late = december(prog, cast.aar)
    assert "expired" in claim_error(late, second, now=late.window_end + timedelta(minutes=1))
    assignments_expire(now=late.window_end + timedelta(minutes=1))
    late.refresh_from_db()
    assert late.status == "expired"
    assert "expired" in claim_error(late, second)


def test_a_shopper_is_locked_out_of_a_store_they_shopped_within_the_lockout_days(cast):
    prog = programme(cast)
    who = shopper()
    submitted(prog, cast.cph, who)
    november = Assignment.objects.get(programme=prog, location=cast.cph, period="2026-11")
    assert "less than 60 days" in claim_error(november, who)
    # Another store is fine.
    assignment_claim(assignment=december(prog, cast.aar), shopper=who, now=NOW)


def test_a_shopper_cannot_claim_more_shops_in_a_period_than_the_programme_allows(cast):
    prog = programme(cast, claims_per_period=1)
    who = shopper()
    assignment_claim(assignment=december(prog, cast.cph), shopper=who, now=NOW)
    assert "as many shops" in claim_error(december(prog, cast.aar), who)


def test_a_shopper_who_has_not_accepted_the_terms_cannot_claim(cast):
    prog = programme(cast)
    who = shopper()
    who.terms_accepted_at = None
    assert "accept the terms" in claim_error(december(prog, cast.cph), who)


def test_a_calibration_pair_sends_two_different_shoppers_to_the_same_window(cast):
    prog = programme(cast)
    first, second, third = shopper("Sofie"), shopper("Karl"), shopper("Lea")
    original = december(prog, cast.cph)
    twin = calibration_pair_create(assignment=original, first=first, second=second)
    assert (twin.window_start, twin.window_end, twin.slot) == (original.window_start, original.window_end, 1)
    assert "reserved for another" in claim_error(twin, third)
    assert "reserved for another" in claim_error(original, second)
    assignment_claim(assignment=original, shopper=first, now=NOW)
    assignment_claim(assignment=twin, shopper=second, now=NOW)


def test_a_visit_in_the_future_cannot_be_submitted(cast):
    prog = programme(cast)
    who = shopper()
    assignment = december(prog, cast.cph)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    tuesday = datetime(2026, 12, 1, 14, tzinfo=UTC)
    report = report_save(
        assignment=assignment, shopper=who, answers={}, time_in=tuesday, time_out=tuesday + timedelta(minutes=9)
    )
    assert ("time_in", "The visit cannot be in the future.") in report_problems(
        report, now=tuesday - timedelta(hours=1)
    )
