"""The mystery-shopping API's schemas (api.py). A report names its shopper only for the owner."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class WindowIO(Schema):
    weekday: int = Field(ge=0, le=6)
    start: int = Field(ge=0, le=24)
    end: int = Field(ge=0, le=24)


class ProgrammeOut(Schema):
    id: int
    name: str
    touchpoint: str
    scorecard_id: int
    rhythm: str
    interval_days: int | None
    windows: list[WindowIO]
    lockout_days: int
    claims_per_period: int
    reward_amount: Decimal
    reward_currency: str
    expense_cap: Decimal
    min_shops_ranked: int
    case_threshold: int | None
    evidence_days: int
    locations: list[str]
    active: bool


class ProgrammeIn(Schema):
    name: str = Field(max_length=120)
    touchpoint: str
    scorecard_id: int = Field(ge=1)
    locations: list[str] = Field(max_length=1000)
    rhythm: str = "monthly"
    interval_days: int | None = Field(None, ge=1, le=366)
    windows: list[WindowIO] = Field(default_factory=list, max_length=100)
    lockout_days: int = Field(60, ge=0, le=3650)
    claims_per_period: int = Field(2, ge=1, le=100)
    reward_amount: Decimal = Field(Decimal(0), ge=0, le=100000)
    reward_currency: str = "EUR"
    expense_cap: Decimal = Field(Decimal(0), ge=0, le=100000)
    min_shops_ranked: int = Field(3, ge=1, le=100)
    case_threshold: int | None = Field(None, ge=0, le=100)
    evidence_days: int = Field(60, ge=60, le=3650)


class ItemOut(Schema):
    code: str
    kind: str
    text: dict
    help: dict
    weight: Decimal
    na_allowed: bool
    critical: bool
    bonus: bool
    required: bool
    options: list
    thresholds: list
    max_points: float
    charter_attribute: str | None
    playbook_entry: int | None


class SectionOut(Schema):
    code: str
    title: dict
    items: list[ItemOut]


class ScorecardOut(Schema):
    id: int
    name: dict
    critical_rule: str
    critical_cap: int
    version: int
    sections: list[SectionOut]


class ScorecardIn(Schema):
    name: dict
    critical_rule: str = "cap"
    critical_cap: int = Field(50, ge=0, le=100)
    sections: list[dict] = Field(default_factory=list, max_length=50)


class AssignmentOut(Schema):
    id: int
    programme_id: int
    location: str
    period: str
    window_start: datetime
    window_end: datetime
    status: str
    calibration_of: int | None


class SectionScoreOut(Schema):
    code: str
    score: float | None
    n: int


class AnswerOut(Schema):
    item: str
    value: float | None
    not_applicable: bool
    points: float | None
    comment: str
    changed_by_dispute: bool


class ReportOut(Schema):
    assignment_id: int
    programme_id: int
    location: str
    status: str
    version: int
    visit_date: date | None
    score: float | None
    score_low: float | None
    score_high: float | None
    score_n: int
    failed_critical: bool
    counts: bool
    return_likelihood: int | None
    expectation: int | None
    sections: list[SectionScoreOut]
    answers: list[AnswerOut]
    shopper: str | None


class ItemIn(Schema):
    section: str = Field(max_length=40)
    code: str = Field(max_length=40)
    kind: str
    text: dict
    help: dict = Field(default_factory=dict)
    weight: Decimal = Field(Decimal(1), ge=0, le=100)
    na_allowed: bool = False
    critical: bool = False
    bonus: bool = False
    required: bool = True
    options: list = Field(default_factory=list, max_length=20)
    thresholds: list = Field(default_factory=list, max_length=20)
    # The charter attribute's code; the playbook entry by its situation's code (and touchpoint's).
    charter_attribute: str | None = Field(None, max_length=40)
    playbook_situation: str | None = Field(None, max_length=60)
    playbook_touchpoint: str | None = Field(None, max_length=32)


class FigureOut(Schema):
    value: float | None
    n: int
    ci_low: float | None
    ci_high: float | None


class LocationResultOut(Schema):
    location: str
    region: str
    overall: FigureOut
    ranked: bool
    rank: int | None
    sections: dict[str, FigureOut]
    not_applicable_rate: FigureOut


class GroupResultOut(Schema):
    key: str
    overall: FigureOut


class ItemFailureOut(Schema):
    item: str
    failure_rate: FigureOut
    not_applicable: int


class SeparationOut(Schema):
    item: str
    pass_rate_9_10: FigureOut
    pass_rate_0_6: FigureOut
    difference: float
    difference_low: float | None
    difference_high: float | None


class ResultsOut(Schema):
    """One programme's results (issue 10 §8); no field ever names a shopper."""

    programme_id: int
    since: date | None
    until: date | None
    min_shops_ranked: int
    overall: FigureOut
    sections: dict[str, FigureOut]
    locations: list[LocationResultOut]
    regions: list[GroupResultOut]
    trend: list[GroupResultOut]
    items: list[ItemFailureOut]
    separation: list[SeparationOut]
    people: list[GroupResultOut]
