from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "exceed.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self):
        from exceed.api.main import add_domain_router

        add_domain_router("exceed.insights.api.router")
