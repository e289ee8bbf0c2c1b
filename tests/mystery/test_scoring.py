"""The score on hand-computed cases: weights, N/A, critical (cap or fail) and bonus items."""

import pytest

from exceed.errors import DomainError
from exceed.mystery.models import Item
from exceed.mystery.scoring import answer_points, shop_score
from exceed.mystery.services.scorecards import scorecard_current, scorecard_from_definition
from tests.mystery.factories import DEFINITION


@pytest.fixture
def card(db):
    scorecard = scorecard_from_definition(definition=DEFINITION)
    items = {item.code: item for item in Item.objects.filter(section__version=scorecard_current(scorecard))}
    return scorecard, items


def score(card, **points):
    scorecard, items = card
    return shop_score(scorecard, [(items[code], value) for code, value in points.items()])


def test_the_score_is_the_weighted_points_over_the_weighted_maximum(card):
    # greeted 2×1/1, wait 1×1/2, asked 3×3/4: (2 + 1 + 9) / (2 + 2 + 12) = 12/16 = 75 %
    result = score(card, greeted=1, wait=1, asked=3, returns=None)
    assert result.overall.value == 75.0
    assert result.overall.n == 3
    # Sections: welcome (2 + 1) / (2 + 2) = 75 %; help 9/12 = 75 %
    assert result.sections["welcome"].value == 75.0 and result.sections["help"].value == 75.0


def test_a_not_applicable_item_leaves_both_sums(card):
    with_na = score(card, greeted=1, wait=2, asked=4, returns=None)
    assert with_na.overall.value == 100.0
    # The same shop with the return procedure failed: (2 + 2 + 12 + 0) / (2 + 2 + 12 + 1) = 16/17
    failed = score(card, greeted=1, wait=2, asked=4, returns=0)
    assert failed.overall.value == round(100 * 16 / 17, 1)


def test_a_failed_critical_item_caps_the_score_at_the_scorecards_cap(card):
    # Without the cap: (0 + 2 + 12) / 16 = 87.5; the failed greeting caps it at 50.
    result = score(card, greeted=0, wait=2, asked=4)
    assert result.failed_critical
    assert result.overall.value == 50.0
    # The section still shows what happened: welcome 2/4.
    assert result.sections["welcome"].value == 50.0 and result.sections["help"].value == 100.0


def test_a_failed_critical_item_fails_the_shop_when_the_scorecard_says_so(card):
    scorecard, _items = card
    scorecard.critical_rule = "fail"
    assert score(card, greeted=0, wait=2, asked=4).overall.value == 0.0


def test_a_bonus_item_lifts_the_score_and_never_lowers_it(card):
    # Base (2 + 1 + 9) / 16 = 75 %; the bonus adds 1×1/16 = 6.25 points.
    assert score(card, greeted=1, wait=1, asked=3, extra=1).overall.value == 81.2
    assert score(card, greeted=1, wait=1, asked=3, extra=0).overall.value == 75.0
    # Never above 100.
    assert score(card, greeted=1, wait=2, asked=4, extra=1).overall.value == 100.0


def test_numeric_thresholds_give_points_by_the_number_observed(card):
    _scorecard, items = card
    assert [answer_points(items["wait"], seconds) for seconds in (10, 30, 31, 60, 61)] == [2, 2, 1, 1, 0]


def test_answers_out_of_range_and_a_forbidden_not_applicable_are_refused_naming_the_item(card):
    _scorecard, items = card
    for code, value in (("asked", 6), ("asked", 0), ("greeted", 2), ("wait", -1)):
        with pytest.raises(DomainError) as error:
            answer_points(items[code], value)
        assert error.value.field == code
    with pytest.raises(DomainError, match="not applicable"):
        answer_points(items["greeted"], None, not_applicable=True)
