from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "exceed.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")

    def ready(self):
        from datetime import timedelta

        from exceed.api.main import add_domain_router
        from exceed.core.periodic import PeriodicJob, register_periodic
        from exceed.webhooks import receivers  # noqa: F401  (connects to feedback's and recovery's signals)

        add_domain_router("exceed.webhooks.api.router")
        # Retries whose task was lost (a worker died) or that an immediate backend cannot defer.
        register_periodic(
            PeriodicJob("webhooks.retry", "exceed.webhooks.services.deliveries_retry_due", every=timedelta(minutes=1))
        )
