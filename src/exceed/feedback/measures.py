"""The standard measures and their confidence intervals (DOMAIN.md, "Standard measures").

Scores are on the −100…100 scale customers of NPS-style tools know. For a score p − d the
variance is [p(1−p) + d(1−d) + 2pd] / n; for a share it is p(1−p) / n; intervals are ±1.96·√var.
"""

import math
from dataclasses import dataclass

Z95 = 1.96


@dataclass(frozen=True)
class Figure:
    value: float | None
    n: int
    low: float | None = None
    high: float | None = None

    def as_dict(self) -> dict:
        return {"value": self.value, "n": self.n, "ci_low": self.low, "ci_high": self.high}


def net_score(n: int, positive: int, negative: int) -> Figure:
    if n <= 0:
        return Figure(None, 0)
    p, d = positive / n, negative / n
    variance = (p * (1 - p) + d * (1 - d) + 2 * p * d) / n
    half = Z95 * math.sqrt(variance)
    value = p - d
    return Figure(
        round(100 * value, 1), n, round(100 * max(-1.0, value - half), 1), round(100 * min(1.0, value + half), 1)
    )


def share(n: int, positive: int) -> Figure:
    if n <= 0:
        return Figure(None, 0)
    p = positive / n
    half = Z95 * math.sqrt(p * (1 - p) / n)
    return Figure(round(100 * p, 1), n, round(100 * max(0.0, p - half), 1), round(100 * min(1.0, p + half), 1))


def figures_from_counts(counts: dict) -> dict:
    """Measures from summed DailyMeasure counts (the keys of ``rollup._COUNTS``)."""
    return_n = counts.get("return_n") or 0
    return {
        "responses": counts.get("responses") or 0,
        "return_score": net_score(return_n, counts.get("return_promoters") or 0, counts.get("return_detractors") or 0),
        "return_mean": round((counts.get("return_sum") or 0) / return_n, 2) if return_n else None,
        "expectation_index": net_score(
            counts.get("expectation_n") or 0,
            counts.get("expectation_exceeded") or 0,
            counts.get("expectation_below") or 0,
        ),
        "exceeded_share": share(counts.get("expectation_n") or 0, counts.get("expectation_exceeded") or 0),
        "csat": share(counts.get("csat_n") or 0, counts.get("csat_satisfied") or 0),
    }
