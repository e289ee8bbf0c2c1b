"""The one table the shared pieces keep: when each periodic job is next due (core.periodic)."""

from django.db import models


class PeriodicSchedule(models.Model):
    """When a registered job (``core.periodic``) next runs; claimed by a conditional update, so
    several workers on several machines run each job once per period."""

    name = models.CharField(max_length=80, primary_key=True)
    next_run_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_result = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} (next {self.next_run_at:%Y-%m-%d %H:%M})"
