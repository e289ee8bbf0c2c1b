"""The consistency figures over the API (issue 9): locations and touchpoints named by code."""

from datetime import date

from ninja import Schema

from exceed.feedback.schemas import FigureOut


class IccOut(FigureOut):
    groups: int


class ConsistencyCellOut(Schema):
    location: str | None
    touchpoint: str | None
    n: int
    return_mean: float | None
    return_sd: FigureOut
    bottom_box_share: FigureOut
    return_score: FigureOut
    touchpoint_chain_score: float | None
    limit_95_low: float
    limit_95_high: float
    outside: str


class LocationMeanOut(Schema):
    location: str | None
    n: int
    return_mean: float | None
    shrunk_mean: float | None


class FunnelPointOut(Schema):
    key: str | None
    n: int
    return_score: FigureOut
    limit_95_low: float
    limit_95_high: float
    limit_99_8_low: float
    limit_99_8_high: float
    outside: str


class FunnelOut(Schema):
    by: str
    center: float | None
    n: int
    points: list[FunnelPointOut]


class WeekOut(Schema):
    week: date
    bottom_box_share: FigureOut
    control_low: float
    control_high: float
    outside: bool


class WeeksOut(Schema):
    center: FigureOut
    points: list[WeekOut]


class ConsistencyOut(Schema):
    responses: int
    predictability: FigureOut
    icc_between_locations: IccOut
    sd_of_shrunk_location_means: FigureOut
    locations: list[LocationMeanOut]
    cells: list[ConsistencyCellOut]
    funnel: FunnelOut
    weeks: WeeksOut
