"""Recovery's API schemas that are not beside their handlers in api.py: the measures' answer."""

from datetime import date, datetime

from ninja import Schema

from exceed.feedback.schemas import FigureOut


class SecondsOut(Schema):
    median: float | None
    p90: float | None


class ParadoxOut(Schema):
    return_score_after_recovery: FigureOut
    return_mean_after_recovery: float | None
    return_score_no_failure: FigureOut
    return_mean_no_failure: float | None
    observed_return_after_failure: FigureOut
    observed_return_no_failure: FigureOut


class RecoveryMeasureOut(Schema):
    # location and region by code (as /measures), with their names as location_label, region_label.
    group: dict[str, str | int | date | None]
    failures: int
    recovered: int
    recovery_rate: FigureOut
    acknowledge_seconds: SecondsOut
    close_seconds: SecondsOut
    steps_on_time: FigureOut
    recovery_satisfaction: FigureOut
    impressed: int
    double_deviations: int
    loyal_conversions: int
    paradox: ParadoxOut


class RecoveryMeasuresOut(Schema):
    results: list[RecoveryMeasureOut]


class CaseContactOut(Schema):
    """The customer's contact, given with consent: only for roles that follow up (managers)."""

    name: str
    email: str
    phone: str
    language: str


class CaseOutcomeOut(Schema):
    """The follow-up survey's answer: the three justice scores (1–5), how it was handled overall,
    and whether and how the recovery impressed the customer."""

    answered_at: datetime | None
    rating: int | None
    distributive: int | None
    procedural: int | None
    interactional: int | None
    return_likelihood: int | None
    impressed: bool | None
    impressed_text: str
