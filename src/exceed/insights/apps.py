from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "exceed.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from exceed.api.main import add_domain_router

        add_domain_router("exceed.insights.api.router")

        from datetime import timedelta

        from exceed.core.periodic import PeriodicJob, register_periodic

        # Hourly, so a worker that was down at midnight still sends on the 1st; the report itself
        # goes out on the 1st only, once per recipient (insights/services.py).
        register_periodic(
            PeriodicJob(
                "insights.monthly_report", "exceed.insights.services.monthly_reports_send", every=timedelta(hours=1)
            )
        )
