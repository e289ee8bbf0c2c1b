"""A shop's score: Σ(weight × points) / Σ(weight × max points) over the items that applied, per
section and overall, with the shared definition (core.measures.weighted_score: N/A items leave both
sums). Two rules of the scorecard sit on top of it:

- a bonus item adds its weighted points to the numerator only: it can lift a shop, never sink
  one, and the score stays at most 100;
- a failed critical item (no points earned) caps the overall score at the scorecard's cap, or
  fails the shop (0), per the scorecard's setting. Section scores are left as observed, so the
  section that failed still shows why.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exceed.core.measures import Figure, Scored, weighted_score
from exceed.errors import DomainError
from exceed.mystery.models import CriticalRule, Item, ItemKind, Scorecard

SCALE = (1, 5)


def answer_points(item: Item, value: float | None, *, not_applicable: bool = False) -> float | None:
    """The points ``value`` earns on ``item``; None for N/A or an unscored item.

    Raises a DomainError naming the item when the value is out of range or N/A is not allowed.
    """
    if not_applicable:
        if not item.na_allowed:
            raise DomainError(_("“%(item)s” cannot be marked not applicable.") % {"item": item}, field=item.code)
        return None
    if item.kind == ItemKind.TEXT or value is None:
        return None
    if item.kind == ItemKind.YES_NO:
        if value not in (0, 1):
            raise DomainError(_("“%(item)s” takes yes or no.") % {"item": item}, field=item.code)
        return float(value)
    if item.kind == ItemKind.SCALE:
        if value != int(value) or not SCALE[0] <= value <= SCALE[1]:
            raise DomainError(_("“%(item)s” takes a whole number from 1 to 5.") % {"item": item}, field=item.code)
        return float(value - SCALE[0])
    if item.kind == ItemKind.CHOICE:
        if value != int(value) or not 0 <= value < len(item.options):
            raise DomainError(_("Please choose one of the options for “%(item)s”.") % {"item": item}, field=item.code)
        return float(item.options[int(value)].get("points", 0))
    if item.kind == ItemKind.NUMERIC:
        if value < 0:
            raise DomainError(_("“%(item)s” cannot be negative.") % {"item": item}, field=item.code)
        for bound, points in sorted(item.thresholds):
            if value <= bound:
                return float(points)
        return 0.0
    return None


@dataclass
class ShopScore:
    overall: Figure
    sections: dict[str, Figure] = field(default_factory=dict)
    failed_critical: bool = False


def _section_figure(rows: list[tuple[Item, float | None]]) -> Figure:
    regular = [Scored(float(item.weight), points, item.max_points) for item, points in rows if not item.bonus]
    base = weighted_score(regular)
    bonus = sum(float(item.weight) * points for item, points in rows if item.bonus and points)
    if base.value is None or not bonus:
        return base
    possible = sum(s.weight * s.possible for s in regular if s.earned is not None)
    lift = 100 * bonus / possible

    def up(value: float | None) -> float | None:
        return None if value is None else round(min(100.0, value + lift), 1)

    return Figure(up(base.value), base.n, up(base.low), up(base.high))


def shop_score(scorecard: Scorecard, answers: Iterable[tuple[Item, float | None]]) -> ShopScore:
    """The overall and per-section score of one shop from (item, points) pairs (points None: N/A)."""
    rows = [(item, points) for item, points in answers if item.scored]
    by_section: dict[str, list[tuple[Item, float | None]]] = {}
    for item, points in rows:
        by_section.setdefault(item.section.code, []).append((item, points))
    overall = _section_figure(rows)
    failed = any(item.critical and points is not None and points <= 0 for item, points in rows)
    if failed and overall.value is not None:
        ceiling = 0.0 if scorecard.critical_rule == CriticalRule.FAIL else float(scorecard.critical_cap)
        overall = Figure(
            min(overall.value, ceiling),
            overall.n,
            None if overall.low is None else min(overall.low, ceiling),
            None if overall.high is None else min(overall.high, ceiling),
        )
    return ShopScore(
        overall=overall,
        sections={code: _section_figure(section_rows) for code, section_rows in by_section.items()},
        failed_critical=failed,
    )
