"""/api/v1/consistency: the Consistency page's figures, from the daily rollup, in the token's scope."""

from django.utils.translation import gettext as _
from ninja import Query, Router

from exceed.api.schemas import ErrorOut
from exceed.errors import DomainError
from exceed.feedback.schemas import FeedbackQuery
from exceed.insights.schemas import ConsistencyOut
from exceed.insights.selectors import CONSISTENCY_FUNNELS, consistency
from exceed.org.models import Location, Touchpoint

router = Router(tags=["insights"])
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("/consistency", response={200: ConsistencyOut, **ERRORS})
def consistency_figures(request, filters: Query[FeedbackQuery], funnel: str = "location"):
    """How predictable the experience is: predictability (the share of location × touchpoint
    cells with at least 10 answers whose return score lies within the 95% funnel limits of the
    chain's score on that touchpoint), the intraclass correlation between locations, the spread
    of the locations' shrunk mean return likelihood, each cell's standard deviation and bottom-box
    share (0–6), a funnel of locations or touchpoints (``funnel``) and a weekly p-chart of the
    bottom-box share with 3σ limits. Every figure has its n; shares and scores their 95% interval.
    ``outside`` is "" within the 95% limits, "95" beyond them but within 99.8%, "99.8" beyond
    those. Takes the same filters as /measures; locations and touchpoints are named by code.
    """
    if funnel not in CONSISTENCY_FUNNELS:
        raise DomainError(
            _("Unknown grouping: %(name)s. Choose from: %(known)s.")
            % {"name": funnel, "known": ", ".join(CONSISTENCY_FUNNELS)},
            field="funnel",
        )
    figures = consistency(request.scope, filters.to_filter(), funnel_by=funnel)
    locations = dict(Location.objects.values_list("pk", "code"))
    touchpoints = dict(Touchpoint.objects.values_list("pk", "code"))
    codes = {"location": locations, "touchpoint": touchpoints}[funnel]
    between = figures.between
    return {
        "responses": figures.responses,
        "predictability": figures.headline.as_dict(),
        "icc_between_locations": between["icc"].as_dict(),
        "sd_of_shrunk_location_means": between["shrunk_spread"].as_dict(),
        "locations": [
            {
                "location": locations.get(row["location"]),
                "n": row["n"],
                "return_mean": row["mean"],
                "shrunk_mean": row["shrunk_mean"],
            }
            for row in between["locations"]
        ],
        "cells": [
            {
                "location": locations.get(cell["location"]),
                "touchpoint": touchpoints.get(cell["touchpoint"]),
                "n": cell["n"],
                "return_mean": cell["mean"],
                "return_sd": cell["spread"].as_dict(),
                "bottom_box_share": cell["bottom_box"].as_dict(),
                "return_score": cell["return_score"].as_dict(),
                "touchpoint_chain_score": cell["touchpoint_score"],
                "limit_95_low": round(cell["limits"].low, 1),
                "limit_95_high": round(cell["limits"].high, 1),
                "outside": cell["position"],
            }
            for cell in figures.cells
        ],
        "funnel": {
            "by": funnel,
            "center": figures.funnel["center"],
            "n": figures.funnel["n"],
            "points": [
                {
                    "key": codes.get(point["key"]),
                    "n": point["n"],
                    "return_score": point["return_score"].as_dict(),
                    "limit_95_low": round(point["inner"].low, 1),
                    "limit_95_high": round(point["inner"].high, 1),
                    "limit_99_8_low": round(point["outer"].low, 1),
                    "limit_99_8_high": round(point["outer"].high, 1),
                    "outside": point["position"],
                }
                for point in figures.funnel["points"]
            ],
        },
        "weeks": {
            "center": figures.weeks["center"].as_dict(),
            "points": [
                {
                    "week": point["week"],
                    "bottom_box_share": point["bottom_box"].as_dict(),
                    "control_low": round(point["limits"].low, 1),
                    "control_high": round(point["limits"].high, 1),
                    "outside": point["outside"],
                }
                for point in figures.weeks["points"]
            ],
        },
    }
