"""The standard measures, defined once (docs/DOMAIN.md, "Standard measures").

Every app states its figures with these functions and derives its thresholds from these
constants: the daily rollup's columns and rebuild SQL, recovery's comparisons and rules, and
later the mystery-shop scorecards, rankings and consistency measures.

Scores are on the −100…100 scale customers of NPS-style tools know. For a score p − d the
variance is [p(1−p) + d(1−d) + 2pd] / n; for a share it is p(1−p) / n; intervals are ±1.96·√var.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q

Z95 = 1.96

# The scales customers answer on (lowest, highest).
RETURN_SCALE = (0, 10)
CSAT_SCALE = (1, 5)
# Likelihood to return, 0–10: who would come back (9–10) and who would not (0–6).
RETURN_PROMOTER_MIN = 9
RETURN_DETRACTOR_MAX = 6
# Satisfaction, 1–5: 4 and 5 count as satisfied (CSAT's "top two boxes").
CSAT_SATISFIED_MIN = 4


class Outcome:
    """The expectation outcome — below, met or exceeded — as stored (−1, 0, 1) and as written."""

    BELOW, MET, EXCEEDED = -1, 0, 1
    WORDS = {BELOW: "below", MET: "met", EXCEEDED: "exceeded"}
    CODES = {word: code for code, word in WORDS.items()}

    @classmethod
    def from_text(cls, text: str) -> int | None:
        """The code for "below"/"met"/"exceeded" or "-1"/"0"/"1"; None for anything else."""
        text = text.strip().lower()
        if text in cls.CODES:
            return cls.CODES[text]
        try:
            code = int(text)
        except ValueError:
            return None
        return code if code in cls.WORDS else None


def is_return_promoter(value: int | None) -> bool:
    return value is not None and value >= RETURN_PROMOTER_MIN


def is_return_detractor(value: int | None) -> bool:
    return value is not None and value <= RETURN_DETRACTOR_MAX


def is_satisfied(value: int | None) -> bool:
    return value is not None and value >= CSAT_SATISFIED_MIN


@dataclass(frozen=True)
class Tally:
    """One count kept over responses: every row, rows where ``field`` is set, rows meeting a
    threshold, or the sum of the field. The daily rollup's columns, its incremental upsert and its
    SQL rebuild are all derived from a list of these, so they cannot disagree."""

    name: str
    field: str | None = None
    op: Literal["set", ">=", "<=", "=", "sum"] = "set"
    value: int | None = None

    def of(self, row_value: int | None) -> int:
        """What one row with ``row_value`` in ``field`` adds."""
        if self.field is None:
            return 1
        if row_value is None:
            return 0
        if self.op == "sum":
            return row_value
        if self.op == "set":
            return 1
        assert self.value is not None
        met = {">=": row_value >= self.value, "<=": row_value <= self.value, "=": row_value == self.value}[self.op]
        return int(met)

    def sql(self, alias: str) -> str:
        """The aggregate expression over rows of the table aliased ``alias``."""
        if self.field is None:
            return "COUNT(*)"
        column = f"{alias}.{self.field}"
        if self.op == "set":
            return f"COUNT({column})"
        if self.op == "sum":
            return f"COALESCE(SUM({column}), 0)"
        return f"SUM(CASE WHEN {column} {self.op} {int(self.value or 0)} THEN 1 ELSE 0 END)"

    def q(self, prefix: str = "") -> Q:
        """The rows this tally counts, as an ORM filter (``prefix`` reaches the field's model)."""
        if self.field is None:
            return Q()
        lookup = {"set": "__isnull", ">=": "__gte", "<=": "__lte", "=": "", "sum": "__isnull"}[self.op]
        if self.op in ("set", "sum"):
            return Q(**{f"{prefix}{self.field}__isnull": False})
        return Q(**{f"{prefix}{self.field}{lookup}": self.value})


# The tallies behind every standard measure: the rollup keeps one column per tally.
RESPONSE_TALLIES = [
    Tally("responses"),
    Tally("return_n", "return_likelihood"),
    Tally("return_promoters", "return_likelihood", ">=", RETURN_PROMOTER_MIN),
    Tally("return_detractors", "return_likelihood", "<=", RETURN_DETRACTOR_MAX),
    Tally("return_sum", "return_likelihood", "sum"),
    Tally("expectation_n", "expectation"),
    Tally("expectation_exceeded", "expectation", "=", Outcome.EXCEEDED),
    Tally("expectation_below", "expectation", "=", Outcome.BELOW),
    Tally("csat_n", "csat"),
    Tally("csat_satisfied", "csat", ">=", CSAT_SATISFIED_MIN),
]


@dataclass(frozen=True)
class Figure:
    """A measure with its sample size and 95% interval (None where it cannot be stated)."""

    value: float | None
    n: int
    low: float | None = None
    high: float | None = None
    # The standard error on the figure's own scale, before rounding and before the interval is
    # clipped to the scale's ends; what a comparison of two figures needs (``change``).
    se: float | None = field(default=None, compare=False, repr=False)

    def as_dict(self) -> dict:
        return {"value": self.value, "n": self.n, "ci_low": self.low, "ci_high": self.high}


def net_score(n: int, positive: int, negative: int) -> Figure:
    """Positive share minus negative share, ×100 (the return score, the expectation index)."""
    if n <= 0:
        return Figure(None, 0)
    p, d = positive / n, negative / n
    variance = (p * (1 - p) + d * (1 - d) + 2 * p * d) / n
    half = Z95 * math.sqrt(variance)
    value = p - d
    return Figure(
        round(100 * value, 1),
        n,
        round(100 * max(-1.0, value - half), 1),
        round(100 * min(1.0, value + half), 1),
        se=100 * math.sqrt(variance),
    )


def share(n: int, positive: int) -> Figure:
    """The share of n that is positive, ×100 (CSAT, "exceeded", recovery rate)."""
    if n <= 0:
        return Figure(None, 0)
    p = positive / n
    se = math.sqrt(p * (1 - p) / n)
    half = Z95 * se
    return Figure(
        round(100 * p, 1), n, round(100 * max(0.0, p - half), 1), round(100 * min(1.0, p + half), 1), se=100 * se
    )


@dataclass(frozen=True)
class Change:
    """How a figure moved from an earlier period: the difference (now − then, on the figure's
    scale), its 95% interval, and whether that interval leaves out zero ("beyond noise")."""

    value: float
    low: float
    high: float

    @property
    def beyond_noise(self) -> bool:
        return self.low > 0 or self.high < 0


def change(now: Figure, then: Figure) -> Change | None:
    """The change from ``then`` to ``now`` for two figures from independent samples (two periods).

    The two standard errors add in quadrature: se = √(se_now² + se_then²), interval ±1.96·se.
    None when either figure has no value (no answers) or no standard error.
    """
    if now.value is None or then.value is None or now.se is None or then.se is None:
        return None
    difference = now.value - then.value
    half = Z95 * math.sqrt(now.se**2 + then.se**2)
    return Change(round(difference, 1), round(difference - half, 1), round(difference + half, 1))


@dataclass(frozen=True)
class Scored:
    """One item of a weighted scorecard or checklist: points earned of points possible.

    ``earned`` None means not applicable: the item leaves both sums, so a shop where nobody
    needed a return is not marked down for the return procedure.
    """

    weight: float
    earned: float | None
    possible: float = 1.0


def weighted_score(items: Iterable[Scored]) -> Figure:
    """Σ weight·earned / Σ weight·possible ×100 over applicable items; n counts those items.

    The interval treats each applicable item as a trial weighted by its share of the total
    (Kish's effective n), which is what a two-visit store's score can honestly claim.
    """
    applicable = [item for item in items if item.earned is not None and item.weight > 0 and item.possible > 0]
    if not applicable:
        return Figure(None, 0)
    total = sum(item.weight * item.possible for item in applicable)
    p = sum(item.weight * float(item.earned or 0) for item in applicable) / total
    weights = [item.weight * item.possible for item in applicable]
    effective_n = sum(weights) ** 2 / sum(w * w for w in weights)
    half = Z95 * math.sqrt(max(p * (1 - p), 0.0) / effective_n)
    return Figure(
        round(100 * p, 1), len(applicable), round(100 * max(0.0, p - half), 1), round(100 * min(1.0, p + half), 1)
    )


def shrunk(value: float | None, n: int, *, prior: float | None, strength: float) -> float | None:
    """A group's score pulled toward the prior (the chain's figure) by ``strength`` pseudo-answers.

    The Bayesian average (value·n + prior·k) / (n + k): two lucky answers no longer top a
    ranking, while a store or person with hundreds of answers keeps its own figure.
    """
    if value is None or prior is None:
        return value
    return round((value * n + prior * strength) / (n + strength), 1)


def shrinkage_strength(groups: Iterable[tuple[float, int]], *, within_variance: float) -> float:
    """Empirical-Bayes k = σ²_within / τ²_between, estimated from the groups (method of moments).

    ``groups`` are (score, n); ``within_variance`` is one answer's variance on the score's scale
    (for a net score from 0–10 answers about 100²·[p + d − (p − d)²]). With little spread between
    groups k is large and every group lands near the prior; k is kept within [1, 1000].
    """
    rows = [(value, n) for value, n in groups if value is not None and n > 0]
    if len(rows) < 2:
        return 10.0
    total = sum(n for _, n in rows)
    mean = sum(value * n for value, n in rows) / total
    observed = sum(n * (value - mean) ** 2 for value, n in rows) / total
    noise = within_variance * len(rows) / total
    between = max(observed - noise, 1e-9)
    return min(max(within_variance / between, 1.0), 1000.0)


def net_score_variance(counts: Mapping[str, int], *, n: str, positive: str, negative: str) -> float:
    """One answer's variance on the −100…100 scale, from summed counts."""
    total = counts.get(n) or 0
    if not total:
        return 0.0
    p, d = (counts.get(positive) or 0) / total, (counts.get(negative) or 0) / total
    return 10000.0 * (p + d - (p - d) ** 2)
