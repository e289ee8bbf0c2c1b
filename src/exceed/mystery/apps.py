from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MysteryConfig(AppConfig):
    """Mystery shopping: programmes, scorecards, shoppers, assignments, reports and their results."""

    name = "exceed.mystery"
    label = "mystery"
    verbose_name = _("Mystery shopping")

    def ready(self):
        from exceed.api.main import add_domain_router
        from exceed.core.periodic import PeriodicJob, register_periodic

        add_domain_router("exceed.mystery.api.router")
        # Generation, reminders and expiry every 15 minutes; evidence expiry once an hour (tasks.py).
        register_periodic(
            PeriodicJob("mystery.assignments", "exceed.mystery.tasks.assignments_tick", every=timedelta(minutes=15))
        )
        register_periodic(
            PeriodicJob("mystery.evidence", "exceed.mystery.tasks.evidence_tick", every=timedelta(hours=1))
        )
