from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    name = "exceed.recovery"
    label = "recovery"
    verbose_name = _("Service recovery")

    def ready(self):
        from exceed.api.main import add_domain_router
        from exceed.recovery import receivers  # noqa: F401  (connects to feedback's evaluations_pending)

        add_domain_router("exceed.recovery.api.router")

        from datetime import timedelta

        from exceed.core.periodic import PeriodicJob, register_periodic

        # The evaluation sweep, overdue steps and due follow-ups, every minute (recovery/tasks.py).
        register_periodic(
            PeriodicJob("recovery.tick", "exceed.recovery.tasks.recovery_tick_run", every=timedelta(minutes=1))
        )

        from exceed.core.imports import ImportKind, register_import
        from exceed.recovery.importers import OPTIONAL, REQUIRED, visits_import

        register_import(
            ImportKind(
                "visits",
                "visits from the till, so observed return is a fact; stored external ids are skipped",
                REQUIRED,
                OPTIONAL,
                lambda path, progress: visits_import(path, progress),
            )
        )
