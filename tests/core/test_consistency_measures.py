"""The consistency figures (issue 9) on data small enough to work out by hand, written out here."""

import math

import pytest

from exceed.core.measures import (
    PREDICTABLE_MIN_N,
    Limits,
    control_limits,
    funnel_limits,
    funnel_position,
    icc_oneway,
    limits,
    predictability,
    share_variance,
    shrunk_means_spread,
    spread,
)


def test_spread_is_the_sample_standard_deviation_from_count_sum_and_sum_of_squares():
    answers = [2, 4, 4, 4, 5, 5, 7, 9]
    # n = 8, Σx = 40, Σx² = 4 + 3·16 + 2·25 + 49 + 81 = 232; mean 5;
    # Σ(x − 5)² = 232 − 40²/8 = 32; variance 32/7 = 4.571; SD √4.571 = 2.138.
    # Interval: 2.138 ± 1.96·2.138/√(2·7) = 2.138 ± 1.120 → 1.02 … 3.26.
    figure = spread(len(answers), sum(answers), sum(a * a for a in answers))
    assert (figure.value, figure.n) == (2.14, 8)
    assert (figure.low, figure.high) == (1.02, 3.26)


def test_every_answer_alike_has_no_spread_and_one_answer_has_none_to_state():
    assert spread(5, 50, 500).value == 0.0
    assert spread(1, 7, 49).value is None
    assert spread(0, 0, 0).n == 0


def test_intraclass_correlation_is_the_between_locations_share_of_the_variance():
    # Three stores answering 1 2 3 / 4 5 6 / 7 8 9:
    #   (n, Σx, Σx²) = (3, 6, 14), (3, 15, 77), (3, 24, 194); N = 9, Σx = 45.
    #   SSB = 6²/3 + 15²/3 + 24²/3 − 45²/9 = 279 − 225 = 54;  MSB = 54/2 = 27.
    #   SSW = (14 + 77 + 194) − 279 = 6;                       MSW = 6/(9 − 3) = 1.
    #   n₀ = (9 − 27/9)/2 = 3;  ICC = (27 − 1)/(27 + 2·1) = 26/29 = 0.8966 → 89.7 %.
    #   Interval: ±1.96·√[2·(3/29)²·(1 + 2·26/29)² / (3·2·2)] = ±0.2312 → 66.5 % … 100 %.
    figure = icc_oneway([(3, 6, 14), (3, 15, 77), (3, 24, 194)])
    assert (figure.value, figure.n, figure.groups) == (89.7, 9, 3)
    assert figure.within_variance == 1.0
    half = 1.96 * math.sqrt(2 * (3 / 29) ** 2 * (1 + 2 * 26 / 29) ** 2 / (3 * 2 * 2))
    assert figure.low == round(100 * (26 / 29 - half), 1) == 66.5
    assert figure.high == 100.0


def test_stores_that_differ_by_chance_only_have_an_intraclass_correlation_of_zero():
    # 1 5 9 / 1 5 9 / 5 5 5: equal means, so MSB = 0 and the estimate (−MSW/…) is stated as 0.
    figure = icc_oneway([(3, 15, 107), (3, 15, 107), (3, 15, 75)])
    assert figure.value == 0.0
    assert icc_oneway([(5, 25, 135)]).value is None  # one store: nothing to compare
    assert icc_oneway([(5, 25, 135)]).groups == 1


def test_funnel_limits_for_a_net_score_narrow_with_n():
    # Chain: 50 % answer 9–10, 30 % answer 0–6; one answer's variance on the −100…100 scale is
    # 100²·(0.5 + 0.3 − 0.2²) = 7600. At n = 100 the standard error is √76 = 8.718:
    #   95 %:   20 ± 1.96·8.718 = 20 ± 17.09 →  2.91 … 37.09
    #   99.8 %: 20 ± 3.09·8.718 = 20 ± 26.94 → −6.94 … 46.94
    inner, outer = funnel_limits(20.0, 7600.0, 100)
    assert (round(inner.low, 2), round(inner.high, 2)) == (2.91, 37.09)
    assert (round(outer.low, 2), round(outer.high, 2)) == (-6.94, 46.94)
    assert funnel_position(30.0, inner, outer) == ""
    assert funnel_position(40.0, inner, outer) == "95"
    assert funnel_position(-10.0, inner, outer) == "99.8"
    # Four answers: ±1.96·√1900 = ±85.4 would pass 100, so the limit is the scale's end.
    assert funnel_limits(20.0, 7600.0, 4)[0].high == 100.0


def test_funnel_limits_for_a_proportion_and_for_a_mean():
    # Bottom-box share 20 %: one answer's variance 100²·0.2·0.8 = 1600; n = 64 → SE = 40/8 = 5.
    #   95 %: 20 ± 9.8 → 10.2 … 29.8;  99.8 %: 20 ± 15.45 → 4.55 … 35.45.
    assert share_variance(10, 2) == pytest.approx(1600.0)
    inner, outer = funnel_limits(20.0, share_variance(10, 2), 64, bounds=(0.0, 100.0))
    assert (round(inner.low, 2), round(inner.high, 2)) == (10.2, 29.8)
    assert (round(outer.low, 2), round(outer.high, 2)) == (4.55, 35.45)
    # A mean of 7.5 with SD 2 over 16 answers: SE 0.5; 95 % 7.5 ± 0.98.
    mean = limits(7.5, 4.0, 16, z=1.96, bounds=(0, 10))
    assert (round(mean.low, 2), round(mean.high, 2)) == (6.52, 8.48)


def test_control_limits_are_three_sigma_around_the_centre_share_and_stop_at_zero():
    # p̄ = 10 %: at n = 100, σ = √(0.1·0.9/100) = 3 % → 1 % … 19 %;
    # at n = 25, σ = 6 % → −8 % (stated as 0) … 28 %.
    week = control_limits(10.0, 100)
    assert (round(week.low, 6), round(week.high, 6)) == (1.0, 19.0)
    small = control_limits(10.0, 25)
    assert (small.low, round(small.high, 6)) == (0.0, 28.0)


def test_predictability_counts_only_cells_with_enough_answers():
    inside = Limits(20.0, 10.0, 30.0)
    cells = [
        (25.0, 50, inside),  # inside
        (15.0, 40, inside),  # inside
        (35.0, 40, inside),  # outside
        (90.0, PREDICTABLE_MIN_N - 1, inside),  # too few answers to count
        (None, 0, None),
    ]
    figure = predictability(cells)
    # 2 of 3 counted cells inside: 66.7 %, ±1.96·√(⅔·⅓/3) = ±53.3 → 13.3 % … 100 %.
    assert (figure.value, figure.n) == (66.7, 3)
    assert (figure.low, figure.high) == (13.3, 100.0)


def test_shrinking_draws_a_small_stores_mean_toward_the_chain_and_narrows_the_spread():
    groups = [(9.0, 2), (7.0, 400), (7.2, 400), (6.8, 400)]
    figure, means = shrunk_means_spread(groups, within_variance=4.0)
    assert figure.n == 4
    assert 7.0 <= means[0] < 8.0  # two lucky answers of 9 no longer stand out
    raw = [mean for mean, _ in groups]
    raw_sd = math.sqrt(sum((m - sum(raw) / 4) ** 2 for m in raw) / 3)
    assert figure.value < raw_sd
    assert shrunk_means_spread([], within_variance=4.0)[0].value is None
