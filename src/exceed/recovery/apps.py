from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "exceed.recovery"
    label = "recovery"
    verbose_name = _("Service recovery")

    def ready(self):
        from exceed.recovery import receivers  # noqa: F401  (connects to feedback's evaluations_pending)
