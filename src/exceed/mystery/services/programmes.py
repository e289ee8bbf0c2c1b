"""Programmes and the locations in them."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.mystery.models import LocationPolicy, Programme, ProgrammeLocation, Rhythm, Scorecard
from exceed.mystery.rhythm import windows_check
from exceed.org.models import Location, Touchpoint

CURRENCY_LENGTH = 3


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Please give an amount, e.g. 20.00."), field=field) from None
    if amount < 0 or amount > Decimal("100000"):
        raise DomainError(_("Please give an amount between 0 and 100000."), field=field)
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def programme_create(
    *,
    name: str,
    touchpoint: Touchpoint,
    scorecard: Scorecard,
    locations: list[Location],
    rhythm: str = Rhythm.MONTHLY,
    interval_days: int | None = None,
    windows: list | None = None,
    lockout_days: int = 60,
    claims_per_period: int = 2,
    reward_amount=0,
    reward_currency: str = "EUR",
    expense_cap=0,
    min_shops_ranked: int = 3,
    case_threshold: int | None = None,
    evidence_days: int = 60,
    dispute_days: int = 14,
    disputes_per_period: int = 3,
) -> Programme:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Please give the programme a name."), field="name")
    if rhythm not in Rhythm.values:
        raise DomainError(_("Unknown rhythm."), field="rhythm")
    if rhythm == Rhythm.EVERY_N_DAYS and not (interval_days and 1 <= interval_days <= 366):
        raise DomainError(_("Please say every how many days (1 to 366)."), field="interval_days")
    if evidence_days < 60:
        raise DomainError(_("Evidence is kept at least 60 days, so a dispute can still see it."), field="evidence_days")
    if case_threshold is not None and not 0 <= case_threshold <= 100:
        raise DomainError(_("The score that opens a case must be between 0 and 100."), field="case_threshold")
    if len(reward_currency or "") != CURRENCY_LENGTH or not reward_currency.isalpha():
        raise DomainError(_("Please give the currency as three letters, e.g. EUR."), field="reward_currency")
    if claims_per_period < 1:
        raise DomainError(_("A shopper must be able to claim at least one shop per period."), field="claims_per_period")
    programme = Programme.objects.create(
        name=name,
        touchpoint=touchpoint,
        scorecard=scorecard,
        rhythm=rhythm,
        interval_days=interval_days,
        windows=windows_check(windows or []),
        lockout_days=lockout_days,
        claims_per_period=claims_per_period,
        reward_amount=_money(reward_amount, "reward_amount"),
        reward_currency=reward_currency.upper(),
        expense_cap=_money(expense_cap, "expense_cap"),
        min_shops_ranked=min_shops_ranked,
        case_threshold=case_threshold,
        evidence_days=evidence_days,
        dispute_days=dispute_days,
        disputes_per_period=disputes_per_period,
    )
    today = timezone.now().date()
    ProgrammeLocation.objects.bulk_create(
        ProgrammeLocation(programme=programme, location=location, starts_on=today) for location in locations
    )
    return programme


@transaction.atomic
def location_policy_set(*, location: Location, staff_may_be_named: bool) -> LocationPolicy:
    policy, _created = LocationPolicy.objects.update_or_create(
        location=location, defaults={"staff_may_be_named": staff_may_be_named}
    )
    return policy
