"""The feedback measures, stated from the daily rollup's summed tallies with the shared definitions
in ``exceed.core.measures`` (docs/DOMAIN.md, "Standard measures")."""

from exceed.core.measures import Figure, net_score, share

__all__ = ["Figure", "figures_from_counts", "net_score", "share"]


def figures_from_counts(counts: dict) -> dict:
    """Measures from summed DailyMeasure counts (the names of ``core.measures.RESPONSE_TALLIES``)."""
    return_n = counts.get("return_n") or 0
    expectation_n = counts.get("expectation_n") or 0
    exceeded = counts.get("expectation_exceeded") or 0
    below = counts.get("expectation_below") or 0
    return {
        "responses": counts.get("responses") or 0,
        "return_score": net_score(return_n, counts.get("return_promoters") or 0, counts.get("return_detractors") or 0),
        "return_mean": round((counts.get("return_sum") or 0) / return_n, 2) if return_n else None,
        "expectation_index": net_score(expectation_n, exceeded, below),
        "exceeded_share": share(expectation_n, exceeded),
        "met_share": share(expectation_n, expectation_n - exceeded - below),
        "below_share": share(expectation_n, below),
        "csat": share(counts.get("csat_n") or 0, counts.get("csat_satisfied") or 0),
    }
