"""The shared measure definitions: the formulas every app states its figures with."""

import pytest

from exceed.core.measures import (
    RESPONSE_TALLIES,
    Outcome,
    Scored,
    net_score,
    share,
    shrinkage_strength,
    shrunk,
    weighted_score,
)


def test_net_score_is_promoters_minus_detractors_with_its_interval():
    figure = net_score(100, 50, 20)
    assert figure.value == 30.0
    assert figure.n == 100
    assert figure.low < 30.0 < figure.high
    assert net_score(0, 0, 0).value is None


def test_share_interval_stays_within_zero_and_hundred():
    assert share(3, 3).high == 100.0
    assert share(3, 0).low == 0.0


def test_weighted_score_leaves_not_applicable_items_out_of_both_sums():
    items = [Scored(weight=2, earned=1), Scored(weight=1, earned=0), Scored(weight=5, earned=None)]
    figure = weighted_score(items)
    assert figure.value == pytest.approx(66.7)
    assert figure.n == 2
    assert weighted_score([Scored(weight=1, earned=None)]).value is None


def test_weighted_score_reads_partial_points_of_a_scale_item():
    assert weighted_score([Scored(weight=1, earned=3, possible=5)]).value == 60.0


def test_two_lucky_answers_are_drawn_toward_the_chain_while_a_large_sample_keeps_its_score():
    assert shrunk(100.0, 2, prior=20.0, strength=20) == pytest.approx(27.3)
    assert shrunk(50.0, 2000, prior=20.0, strength=20) == pytest.approx(49.7)
    assert shrunk(None, 0, prior=20.0, strength=20) is None


def test_shrinkage_is_strong_when_groups_differ_by_noise_only():
    same = [(20.0, 100), (21.0, 100), (19.0, 100)]
    apart = [(-40.0, 100), (20.0, 100), (80.0, 100)]
    within = 10000 * 0.6
    assert shrinkage_strength(same, within_variance=within) > shrinkage_strength(apart, within_variance=within)


def test_outcome_words_and_codes_map_both_ways():
    assert Outcome.from_text(" Exceeded ") == Outcome.EXCEEDED
    assert Outcome.from_text("-1") == Outcome.BELOW
    assert Outcome.from_text("sideways") is None
    assert Outcome.WORDS[Outcome.MET] == "met"


@pytest.mark.parametrize(
    ("name", "value", "counted"),
    [
        ("return_promoters", 9, 1),
        ("return_promoters", 8, 0),
        ("return_detractors", 6, 1),
        ("return_detractors", 7, 0),
        ("csat_satisfied", 4, 1),
        ("csat_satisfied", 3, 0),
        ("expectation_below", -1, 1),
        ("return_sum", 7, 7),
        ("return_squares", 7, 49),
        ("return_squares", None, 0),
        ("return_n", None, 0),
    ],
)
def test_tallies_count_in_python_as_their_thresholds_say(name, value, counted):
    tally = next(tally for tally in RESPONSE_TALLIES if tally.name == name)
    assert tally.of(value) == counted


def test_a_change_between_two_periods_keeps_its_sign_and_adds_both_periods_noise():
    from exceed.core.measures import change

    now, then = net_score(400, 240, 40), net_score(400, 160, 80)  # +50 against +20
    moved = change(now, then)
    assert moved.value == 30.0
    # se = √(se_now² + se_then²), each from net_score's own variance, interval ±1.96·se.
    half = 1.96 * (now.se**2 + then.se**2) ** 0.5
    assert moved.low == pytest.approx(30.0 - half, abs=0.05) and moved.high == pytest.approx(30.0 + half, abs=0.05)
    assert moved.beyond_noise
    assert change(then, now).value == -30.0 and change(then, now).beyond_noise


def test_a_small_change_on_few_answers_is_within_noise():
    from exceed.core.measures import change

    moved = change(share(20, 15), share(20, 13))  # 75 % against 65 %
    assert moved.value == 10.0 and moved.low < 0 < moved.high
    assert not moved.beyond_noise


def test_there_is_no_change_to_state_when_a_period_has_no_answers():
    from exceed.core.measures import change

    assert change(net_score(10, 5, 1), net_score(0, 0, 0)) is None
    assert change(share(0, 0), share(10, 5)) is None


def test_the_standard_error_does_not_change_how_figures_compare():
    # Figures written by hand in tests and code carry no standard error and still equal computed ones.
    from exceed.core.measures import Figure

    assert share(4, 2) == Figure(50.0, 4, share(4, 2).low, share(4, 2).high)


def test_a_mean_of_shop_scores_uses_students_t_so_two_shops_claim_little():
    from exceed.core.measures import mean_score

    # 80 and 60: mean 70, sd √200 ≈ 14.14, se 10, t(1) = 12.706 → ±127: the whole 0–100 scale.
    two = mean_score(2, 140, 80 * 80 + 60 * 60)
    assert (two.value, two.n, two.low, two.high) == (70.0, 2, 0.0, 100.0)
    # 80, 60, 70: sd 10, se 5.774, t(2) = 4.303 → ±24.8.
    three = mean_score(3, 210, 80 * 80 + 60 * 60 + 70 * 70)
    assert (three.low, three.high) == (45.2, 94.8)
    # One shop has a value and no interval; none has neither.
    one = mean_score(1, 55, 55 * 55)
    assert (one.value, one.n, one.low, one.high) == (55.0, 1, None, None)
    assert mean_score(0, 0, 0).value is None
