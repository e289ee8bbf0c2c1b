from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The chain's customers' rights: find, export and erase one customer; retention and purge."""

    name = "exceed.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from datetime import timedelta

        from exceed.api.main import add_domain_router
        from exceed.core.periodic import PeriodicJob, register_periodic

        add_domain_router("exceed.privacy.api.router")
        register_periodic(
            PeriodicJob("privacy.retention", "exceed.privacy.services.retention_apply", every=timedelta(hours=1))
        )
