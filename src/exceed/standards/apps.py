from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """The experience charter and the playbook: what we promise and how each situation is handled."""

    name = "exceed.standards"
    label = "standards"
    verbose_name = _("Standards")

    def ready(self):
        from datetime import timedelta

        from exceed.core.periodic import PeriodicJob, register_periodic

        # Acknowledgement reminders after the grace period, and owners' review dates (standards/mail.py).
        register_periodic(
            PeriodicJob("standards.reminders", "exceed.standards.mail.standards_tick_run", every=timedelta(hours=1))
        )

        from exceed.core.imports import ImportKind, register_import
        from exceed.standards.entry_files import playbook_import_file

        register_import(
            ImportKind(
                "playbook",
                "situations and playbook entries (an exported playbook or a template), imported as drafts",
                ("format", "situations", "entries"),
                (),
                lambda path, progress: playbook_import_file(path, progress),
                formats="JSON",
            )
        )

        from exceed.api.main import add_domain_router

        add_domain_router("exceed.standards.api.router")
