"""Demo mystery shopping for `exceed demo`: the template scorecard in five languages, a monthly
programme over every store, six shoppers (one of them lenient), six months of approved shops
through the same services the pages use, disputes and two calibration pairs.

Each shop is a few dozen queries; 74 shops take a few seconds.
"""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from exceed.mystery.models import Assignment, Shopper
from exceed.mystery.rhythm import period_of
from exceed.mystery.services.assignments import (
    assignment_claim,
    assignments_generate,
    calibration_pair_create,
    claim_problem,
)
from exceed.mystery.services.programmes import location_policy_set, programme_create
from exceed.mystery.services.reports import AnswerInput, report_save, report_submit
from exceed.mystery.services.review import dispute_raise, report_approve
from exceed.mystery.services.scorecards import scorecard_from_definition
from exceed.mystery.template import TEMPLATE
from exceed.org.models import Location, Membership, Role, Touchpoint

WINDOWS = [{"weekday": day, "start": 13, "end": 17} for day in range(5)] + [{"weekday": 5, "start": 9, "end": 12}]
SHOPPERS = [("Ida", "da"), ("Louise", "fr"), ("Mari", "et"), ("Aino", "fi"), ("Tom", "en")]
# Each shopper's home point (a few km outside a demo city) and how far they will travel: the shop
# list then shows the near shops by distance and the rest under "Further away".
HOMES = {
    "Sam": (51.4613, -0.1156, 250),  # Brixton, London
    "Ida": (55.7040, 12.5400, 300),  # Nørrebro, Copenhagen
    "Louise": (48.8330, 2.3260, 500),  # Paris 14e
    "Mari": (59.4270, 24.7100, 250),  # Tallinn
    "Aino": (60.2055, 24.6559, 250),  # Espoo
    "Tom": (53.4500, -2.2700, 300),  # Manchester
}
MONTHS = 6
CALIBRATION_PAIRS = 2


def _shoppers(now: datetime) -> list[Shopper]:
    found = []
    demo_login = User.objects.filter(username="shopper").first()
    logins = [(demo_login, "Sam", "en")] if demo_login else []
    for name, language in SHOPPERS:
        user = User.objects.create_user(
            username=f"{name.lower()}@shoppers.example", email=f"{name.lower()}@shoppers.example"
        )
        Membership.objects.create(user=user, role=Role.MYSTERY_SHOPPER, language=language)
        logins.append((user, name, language))
    for user, name, language in logins:
        found.append(
            Shopper.objects.create(
                user=user,
                display_name=name,
                language=language,
                terms_accepted_at=now,
                terms_text="demo",
                invited_at=now,
                home_latitude=HOMES[name][0],
                home_longitude=HOMES[name][1],
                travel_km=HOMES[name][2],
            )
        )
    return found


def _answers(rng: random.Random, lenient: bool) -> dict[str, AnswerInput]:
    good = 0.95 if lenient else rng.uniform(0.55, 0.9)
    return {
        "greeted": AnswerInput(
            1 if rng.random() < good + 0.05 else 0, comment="" if rng.random() < 0.7 else "Busy at the till"
        ),
        "wait": AnswerInput(rng.choice([20, 45, 90, 200]) if not lenient else 15),
        "asked_expectation": AnswerInput(1 if rng.random() < good else 0),
        "out_of_stock": AnswerInput(not_applicable=True)
        if rng.random() < 0.3
        else AnswerInput(1 if rng.random() < good else 0),
        "helped_beyond": AnswerInput(5 if lenient else rng.randint(2, 5)),
        "surprise": AnswerInput(1 if rng.random() < 0.2 else 0),
        "thanked_by_name": AnswerInput(not_applicable=True)
        if rng.random() < 0.5
        else AnswerInput(1 if rng.random() < good else 0),
    }


def _visit_in(assignment: Assignment, rng: random.Random) -> datetime:
    """A weekday afternoon inside the shop's period, in the store's own time."""
    zone = assignment.location.zone
    day = assignment.window_start.astimezone(zone).date() + timedelta(days=rng.randint(2, 20))
    while day.weekday() > 4:
        day += timedelta(days=1)
    return datetime.combine(day, time(rng.randint(13, 16), rng.randint(0, 59)), tzinfo=zone)


def _may_claim(assignment: Assignment, shopper: Shopper, visit: datetime) -> bool:
    return claim_problem(assignment=assignment, shopper=shopper, now=visit) is None


def _shop(assignment: Assignment, shopper: Shopper, visit: datetime, *, rng: random.Random, lenient: bool, owner):
    """Claim, fill, submit and approve one shop through the services the pages use."""
    assignment_claim(assignment=assignment, shopper=shopper, now=visit)
    report_save(
        assignment=assignment,
        shopper=shopper,
        answers=_answers(rng, lenient),
        time_in=visit,
        time_out=visit + timedelta(minutes=rng.randint(8, 25)),
        return_likelihood=rng.randint(9, 10) if lenient else rng.randint(4, 10),
        expectation=rng.choice([-1, 0, 1]),
        narrative="Demo visit.",
        expenses="12.90",
    )
    report_submit(assignment=assignment, shopper=shopper, now=visit + timedelta(hours=1))
    return report_approve(assignment=assignment, by=owner, now=visit + timedelta(days=1))


def seed_demo_mystery(*, rng: random.Random, now: datetime | None = None) -> int:
    """Create the demo programme and its approved shops; returns how many reports were approved."""
    now = now or timezone.now()
    owner = User.objects.filter(membership__role=Role.OWNER).first() or User.objects.filter(is_superuser=True).first()
    manager = User.objects.filter(membership__role=Role.LOCATION_MANAGER).first()
    with transaction.atomic():
        scorecard = scorecard_from_definition(definition=TEMPLATE, strict_links=False)
        locations = list(Location.objects.filter(active=True))
        programme = programme_create(
            name="Monthly store visit",
            touchpoint=Touchpoint.objects.get(code="in-store"),
            scorecard=scorecard,
            locations=locations,
            windows=WINDOWS,
            reward_amount="20",
            expense_cap="15",
            claims_per_period=3,
            case_threshold=40,
        )
        # Half the stores let reports name staff who acknowledged the mystery-shopping notice.
        for location in locations[::2]:
            location_policy_set(location=location, staff_may_be_named=True)
        shoppers = _shoppers(now)
        lenient = shoppers[-1]
        approved = pairs = 0
        for back in range(MONTHS, 0, -1):
            month = period_of(now - timedelta(days=31 * back), rhythm="monthly", zone=locations[0].zone)
            for location in locations:
                zone_month = period_of(month.start + timedelta(days=3), rhythm="monthly", zone=location.zone)
                assignment = Assignment.objects.create(
                    programme=programme,
                    location=location,
                    period=zone_month.key,
                    window_start=zone_month.start,
                    window_end=zone_month.end,
                    windows=WINDOWS,
                )
                visit = _visit_in(assignment, rng)
                order = [s for s in rng.sample(shoppers, len(shoppers)) if _may_claim(assignment, s, visit)]
                if not order:
                    continue
                # Two calibration pairs in the last month: two shoppers at the same store and window.
                pair = None
                if back == 1 and pairs < CALIBRATION_PAIRS and len(order) >= 2:
                    pair = calibration_pair_create(assignment=assignment, first=order[0], second=order[1], by=owner)
                    pairs += 1
                shops = [(assignment, order[0])] + ([(pair, order[1])] if pair is not None else [])
                for shop, shopper in shops:
                    report = _shop(shop, shopper, visit, rng=rng, lenient=shopper == lenient, owner=owner)
                    approved += 1
                    if (
                        manager
                        and back == 1
                        and shop.slot == 0
                        and manager.membership.locations.filter(pk=location.pk).exists()
                    ):
                        dispute_raise(
                            report=report,
                            item_code="wait",
                            reason="Our camera shows a shorter wait.",
                            by=manager,
                            now=visit + timedelta(days=2),
                        )
        assignments_generate(now=now)
    return approved
