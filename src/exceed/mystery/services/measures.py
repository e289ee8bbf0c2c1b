"""A report's two customer questions in the chain's measures (issue 10 §2).

While a report counts in the results (approved, not excluded) its return likelihood and
expectation outcome are one response of the channel kind "mystery" at its location, on the
programme's touchpoint and the visit's local day, naming the staff the report names; when it stops
counting, that response leaves the measures again. A calibration pair is one shop here as in the
results (mystery.selectors.one_per_calibration_pair): the primary's report, or the twin's where the
primary's does not count. Both go through feedback's writers, which keep
the daily rollup exact; the dashboard and the API show these responses only when asked for.
"""

from django.db import transaction

from exceed.feedback.services import response_record_mystery_shop, response_withdraw_mystery_shop
from exceed.mystery.models import Report
from exceed.mystery.selectors import one_per_calibration_pair


def _counts_in_measures(report: Report) -> bool:
    return report.counts and one_per_calibration_pair(Report.objects.filter(pk=report.pk, counts=True)).exists()


@transaction.atomic
def report_measures_sync(*, report: Report) -> Report:
    """Make the report's place in the measures follow whether it counts; idempotent."""
    # The row lock makes two approvals (two tabs, a retried request) record one response.
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("assignment__location", "assignment__programme", "measures_response")
        .get(pk=report.pk)
    )
    counted = report.measures_response is not None
    counts = _counts_in_measures(report)
    if counts and not counted:
        assignment = report.assignment
        location = assignment.location
        visited_at = report.time_in or report.submitted_at or report.approved_at
        report.measures_response = response_record_mystery_shop(
            location=location,
            touchpoint=assignment.programme.touchpoint,
            people=[mention.person for mention in report.people.select_related("person") if mention.person],
            language=report.language,
            local_date=report.visit_date or visited_at.astimezone(location.zone).date(),
            return_likelihood=report.return_likelihood,
            expectation=report.expectation,
        )
        report.save(update_fields=["measures_response", "updated_at"])
    elif not counts and counted:
        response_withdraw_mystery_shop(response=report.measures_response)
        report.measures_response = None
        report.save(update_fields=["measures_response", "updated_at"])
    # A primary that starts or stops counting hands the pair's place to its twin or takes it back.
    for twin in Report.objects.filter(assignment__calibration_of=report.assignment_id):
        report_measures_sync(report=twin)
    return report
