"""Sorting a breakdown by score allows for sample size (issue 6, item 2)."""

from exceed.core.measures import net_score
from exceed.insights.selectors import _with_shrunk_scores, sort_rows


def _row(label: str, n: int, promoters: int, detractors: int) -> dict:
    tallies = {"return_n": n, "return_promoters": promoters, "return_detractors": detractors}
    return {
        "group": {"label": label},
        "tallies": tallies,
        "return_score": net_score(n, promoters, detractors),
        "responses": n,
    }


def test_two_lucky_answers_do_not_top_the_people_sorted_by_score():
    rows = [
        _row("Two lucky answers", 2, 2, 0),
        _row("Steady over many", 400, 300, 40),
        _row("Middling", 300, 150, 90),
    ]
    ordered = sort_rows(_with_shrunk_scores(rows), "-score")
    assert [row["group"]["label"] for row in ordered][0] == "Steady over many"
    # The raw score shown stays the person's own.
    lucky = next(row for row in ordered if row["group"]["label"] == "Two lucky answers")
    assert lucky["return_score"].value == 100.0
    assert lucky["return_score_shrunk"] < 80
