from django.conf import settings
from django.db import models


class MonthlyReportDelivery(models.Model):
    """One login's monthly report for one month, recorded before it is sent: the unique row is the
    claim, so several workers running the job on the 1st send each report once (issue 8, item 10)."""

    month = models.DateField()  # the first day of the month reported on
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "user"], name="insights_report_once_per_month")]

    def __str__(self) -> str:
        return f"{self.user} {self.month:%Y-%m}"


class MonthlyReportOptOut(models.Model):
    """A login the owner took off the monthly report's mailing list. Every owner and manager with an
    email receives it unless a row here says otherwise, so a new manager is never forgotten."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    chosen_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.user)
