"""The standard measures, defined once (docs/DOMAIN.md, "Standard measures").

Every app states its figures with these functions and derives its thresholds from these
constants: the daily rollup's columns and rebuild SQL, recovery's comparisons and rules, and
later the mystery-shop scorecards, rankings and consistency measures.

Scores are on the −100…100 scale customers of NPS-style tools know. For a score p − d the
variance is [p(1−p) + d(1−d) + 2pd] / n; for a share it is p(1−p) / n; intervals are ±1.96·√var.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Q

Z95 = 1.96
# Two-sided 99.8 %: the funnel plot's outer limits, the conventional "alarm" line (≈ 3σ).
Z998 = 3.09
# Shewhart's control limits: 3σ either side of the centre line.
Z_CONTROL = 3.0

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


# A tally's threshold as Python compares it (its SQL is the op itself); looked up, not built per
# row: an import of a million responses counts eleven tallies for each.
_COMPARISONS = {">=": operator.ge, "<=": operator.le, "=": operator.eq}


@dataclass(frozen=True)
class Tally:
    """One count kept over responses: every row, rows where ``field`` is set, rows meeting a
    threshold, the sum of the field, or the sum of its squares (with the count and the sum it gives
    a standard deviation without reading a single response again). The daily rollup's columns, its incremental upsert and its
    SQL rebuild are all derived from a list of these, so they cannot disagree."""

    name: str
    field: str | None = None
    op: Literal["set", ">=", "<=", "=", "sum", "sumsq"] = "set"
    value: int | None = None

    def of(self, row_value: int | None) -> int:
        """What one row with ``row_value`` in ``field`` adds."""
        if self.field is None:
            return 1
        if row_value is None:
            return 0
        if self.op == "sum":
            return row_value
        if self.op == "sumsq":
            return row_value * row_value
        if self.op == "set":
            return 1
        assert self.value is not None
        return int(_COMPARISONS[self.op](row_value, self.value))

    def sql(self, alias: str) -> str:
        """The aggregate expression over rows of the table aliased ``alias``."""
        if self.field is None:
            return "COUNT(*)"
        column = f"{alias}.{self.field}"
        if self.op == "set":
            return f"COUNT({column})"
        if self.op == "sum":
            return f"COALESCE(SUM({column}), 0)"
        if self.op == "sumsq":
            return f"COALESCE(SUM({column} * {column}), 0)"
        return f"SUM(CASE WHEN {column} {self.op} {int(self.value or 0)} THEN 1 ELSE 0 END)"

    def q(self, prefix: str = "") -> Q:
        """The rows this tally counts, as an ORM filter (``prefix`` reaches the field's model)."""
        if self.field is None:
            return Q()
        lookup = {"set": "__isnull", ">=": "__gte", "<=": "__lte", "=": "", "sum": "__isnull", "sumsq": "__isnull"}[
            self.op
        ]
        if self.op in ("set", "sum", "sumsq"):
            return Q(**{f"{prefix}{self.field}__isnull": False})
        return Q(**{f"{prefix}{self.field}{lookup}": self.value})


# The tallies behind every standard measure: the rollup keeps one column per tally.
RESPONSE_TALLIES = [
    Tally("responses"),
    Tally("return_n", "return_likelihood"),
    Tally("return_promoters", "return_likelihood", ">=", RETURN_PROMOTER_MIN),
    Tally("return_detractors", "return_likelihood", "<=", RETURN_DETRACTOR_MAX),
    Tally("return_sum", "return_likelihood", "sum"),
    # Σx² beside n and Σx: the spread of return likelihood and the consistency figures (issue 9).
    Tally("return_squares", "return_likelihood", "sumsq"),
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


def shrunk(value: float | None, n: int, *, prior: float | None, strength: float, digits: int = 1) -> float | None:
    """A group's score pulled toward the prior (the chain's figure) by ``strength`` pseudo-answers.

    The Bayesian average (value·n + prior·k) / (n + k): two lucky answers no longer top a
    ranking, while a store or person with hundreds of answers keeps its own figure.
    """
    if value is None or prior is None:
        return value
    return round((value * n + prior * strength) / (n + strength), digits)


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


# Student's t for a 95% interval by degrees of freedom: a store with two or three shops must not
# claim the normal curve's precision (1.96). Past ten, 1.96 + 2.5/df stays within 0.015 of t.
_T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228}


def t95(df: int) -> float:
    return _T95.get(df, Z95 + 2.5 / df) if df >= 1 else math.inf


def mean_score(n: int, total: float, squares: float, *, bounds: tuple[float, float] = (0.0, 100.0)) -> Figure:
    """The mean of n scores (a store's shops on the 0–100 scale) from n, Σx and Σx², with a 95%
    interval from Student's t on n − 1 degrees of freedom, clipped to ``bounds``. One score has a
    value but no interval: a single shop says nothing about how the next one will go."""
    if n <= 0:
        return Figure(None, 0)
    mean = total / n
    if n < 2:
        return Figure(round(mean, 1), n)
    variance = max((squares - total * total / n) / (n - 1), 0.0)
    se = math.sqrt(variance / n)
    half = t95(n - 1) * se
    return Figure(
        round(mean, 1), n, round(max(bounds[0], mean - half), 1), round(min(bounds[1], mean + half), 1), se=se
    )


# --- Consistency (issue 9; docs/DOMAIN.md §2) ----------------------------------------------------
#
# How predictable the experience is, from counts, sums and sums of squares alone (the rollup's
# return_n, return_sum, return_squares), so no figure needs the responses read again.


def spread(n: int, total: float, squares: float) -> Figure:
    """The standard deviation of return likelihood (0–10) from n, Σx and Σx².

    The sample SD √[(Σx² − (Σx)²/n) / (n − 1)], two decimals. Its 95% interval is the usual
    large-sample one, s ± 1.96·s/√(2(n − 1)): approximate for a bounded 0–10 scale, honest about
    how little ten answers say. Fewer than two answers have no spread.
    """
    if n < 2:
        return Figure(None, max(n, 0))
    variance = max((squares - total * total / n) / (n - 1), 0.0)
    sd = math.sqrt(variance)
    half = Z95 * sd / math.sqrt(2 * (n - 1))
    return Figure(round(sd, 2), n, round(max(0.0, sd - half), 2), round(sd + half, 2))


@dataclass(frozen=True)
class Icc(Figure):
    """ICC(1) as a percentage of the variance, with the groups it compares and their mean square
    within (one answer's variance around its own group's mean, the pooled within variance)."""

    groups: int = 0
    within_variance: float | None = None

    def as_dict(self) -> dict:
        return {**super().as_dict(), "groups": self.groups}


def icc_oneway(groups: Iterable[tuple[int, float, float]]) -> Icc:
    """The share of the variance of return likelihood that lies between groups (locations), ×100.

    ``groups`` are (n, Σx, Σx²). One-way ANOVA: SSB = Σ(Σxᵢ)²/nᵢ − (Σx)²/N, SSW = Σ Σx²ᵢ − Σ(Σxᵢ)²/nᵢ,
    MSB = SSB/(k − 1), MSW = SSW/(N − k), n₀ = (N − Σnᵢ²/N)/(k − 1) and
    ICC(1) = (MSB − MSW) / (MSB + (n₀ − 1)·MSW). A negative estimate (groups closer than chance
    allows) is stated as 0. The interval is the large-sample one, ±1.96·√[2(1 − ρ)²(1 + (n₀ − 1)ρ)²
    / (n₀(n₀ − 1)(k − 1))], with n₀ as the common group size: approximate when sizes differ a lot.
    """
    rows = [(n, total, squares) for n, total, squares in groups if n > 0]
    k = len(rows)
    big_n = sum(n for n, _, _ in rows)
    if k < 2 or big_n <= k:
        return Icc(None, big_n, groups=k)
    grand = sum(total for _, total, _ in rows)
    between_part = sum(total * total / n for n, total, _ in rows)
    ssb = between_part - grand * grand / big_n
    ssw = sum(squares for _, _, squares in rows) - between_part
    msb, msw = ssb / (k - 1), max(ssw, 0.0) / (big_n - k)
    n0 = (big_n - sum(n * n for n, _, _ in rows) / big_n) / (k - 1)
    denominator = msb + (n0 - 1) * msw
    if denominator <= 0:
        return Icc(None, big_n, groups=k, within_variance=msw)
    rho = min(max((msb - msw) / denominator, 0.0), 1.0)
    low = high = None
    if n0 > 1:
        half = Z95 * math.sqrt(2 * (1 - rho) ** 2 * (1 + (n0 - 1) * rho) ** 2 / (n0 * (n0 - 1) * (k - 1)))
        low, high = round(100 * max(0.0, rho - half), 1), round(100 * min(1.0, rho + half), 1)
    return Icc(round(100 * rho, 1), big_n, low, high, groups=k, within_variance=msw)


def shrunk_means_spread(groups: Iterable[tuple[float | None, int]], *, within_variance: float) -> tuple[Figure, list]:
    """The standard deviation of the groups' means after drawing each toward the pooled mean.

    ``groups`` are (mean, n). Each mean is shrunk by the empirical-Bayes strength
    (``shrinkage_strength``), so a store with eight answers does not widen the spread by luck;
    the figure is the plain SD of the shrunk means (n = the number of groups). Also returns the
    shrunk means, in the order given.
    """
    rows = [(mean, n) for mean, n in groups]
    counted = [(mean, n) for mean, n in rows if mean is not None and n > 0]
    total = sum(n for _, n in counted)
    if not counted:
        return Figure(None, 0), [None] * len(rows)
    prior = sum(mean * n for mean, n in counted) / total
    strength = shrinkage_strength(counted, within_variance=within_variance)
    means = [shrunk(mean, n, prior=prior, strength=strength, digits=2) if n > 0 else None for mean, n in rows]
    values = [mean for mean in means if mean is not None]
    if len(values) < 2:
        return Figure(None, len(values)), means
    average = sum(values) / len(values)
    sd = math.sqrt(sum((value - average) ** 2 for value in values) / (len(values) - 1))
    return Figure(round(sd, 2), len(values)), means


@dataclass(frozen=True)
class Limits:
    """The range a group's figure keeps by chance alone, given its n, around ``center``."""

    center: float
    low: float
    high: float

    def holds(self, value: float) -> bool:
        return self.low <= value <= self.high


def limits(
    center: float, unit_variance: float, n: int, *, z: float, bounds: tuple[float, float] = (-math.inf, math.inf)
) -> Limits:
    """center ± z·√(unit_variance / n), kept within ``bounds``.

    ``unit_variance`` is one answer's variance on the figure's scale: σ² for a mean; for a share
    ×100 it is 100²·p(1 − p); for a net score ``net_score_variance``. A funnel plot draws these
    at 95 % and 99.8 % for every n; a p-chart at 3σ for each week's n.
    """
    half = z * math.sqrt(max(unit_variance, 0.0) / n) if n > 0 else math.inf
    return Limits(center, max(bounds[0], center - half), min(bounds[1], center + half))


def funnel_limits(center: float, unit_variance: float, n: int, *, bounds=(-100.0, 100.0)) -> tuple[Limits, Limits]:
    """The funnel plot's inner (95 %) and outer (99.8 %) limits around the chain's figure."""
    return (
        limits(center, unit_variance, n, z=Z95, bounds=bounds),
        limits(center, unit_variance, n, z=Z998, bounds=bounds),
    )


def funnel_position(value: float | None, inner: Limits, outer: Limits) -> str:
    """Empty inside the 95 % limits, "95" between them and the 99.8 % ones, "99.8" beyond those."""
    if value is None or inner.holds(value):
        return ""
    return "95" if outer.holds(value) else "99.8"


def share_variance(n: int, positive: int) -> float:
    """One answer's variance for a share on the 0–100 scale: 100²·p(1 − p)."""
    if n <= 0:
        return 0.0
    p = positive / n
    return 10000.0 * p * (1 - p)


def control_limits(center_share: float, n: int) -> Limits:
    """A p-chart's 3σ limits for a period with ``n`` answers around the centre share (0–100)."""
    p = center_share / 100
    return limits(center_share, 10000.0 * p * (1 - p), n, z=Z_CONTROL, bounds=(0.0, 100.0))


# A store × touchpoint with fewer answers than this says too little to count for or against.
PREDICTABLE_MIN_N = 10


def predictability(cells: Iterable[tuple[float | None, int, Limits | None]]) -> Figure:
    """The share of groups whose figure lies within its 95 % funnel limits, with its interval.

    ``cells`` are (value, n, the cell's 95 % limits). Only cells with at least
    ``PREDICTABLE_MIN_N`` answers count: smaller ones always lie inside their wide limits and
    would flatter the figure. In a chain where every store is the same on every touchpoint about
    95 % lie inside by chance alone; each point below that is a store and touchpoint that differs.
    """
    counted = inside = 0
    for value, n, bounds in cells:
        if value is None or bounds is None or n < PREDICTABLE_MIN_N:
            continue
        counted += 1
        inside += bounds.holds(value)
    return share(counted, inside)
