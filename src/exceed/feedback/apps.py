from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "exceed.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from exceed.api.main import add_domain_router

        add_domain_router("exceed.feedback.api.router")
        from exceed.feedback import receivers  # noqa: F401  (connects to org's location_created)

        _register_imports()
        from datetime import timedelta

        from exceed.core.periodic import PeriodicJob, register_periodic

        register_periodic(
            PeriodicJob(
                "feedback.throttle_purge", "exceed.feedback.respondent.throttle_counts_purge", every=timedelta(hours=1)
            )
        )

        from datetime import timedelta

        from exceed.core.periodic import PeriodicJob, register_periodic

        # Scheduled invitations whose time has come and the one reminder after N days.
        register_periodic(
            PeriodicJob(
                "feedback.invitations", "exceed.feedback.tasks.invitations_periodic_run", every=timedelta(minutes=1)
            )
        )


def _register_imports() -> None:
    from exceed.core.imports import ImportKind, register_import
    from exceed.feedback import importers

    register_import(
        ImportKind(
            "invitations",
            "one email invitation per row, sent by the worker; survey defaults to visit",
            ("email", "location"),
            importers.INVITATION_COLUMNS,
            lambda path, progress: importers.invitations_import(path=path),
        )
    )
    register_import(
        ImportKind(
            "responses",
            "answers from a till or another tool; external ids already stored are skipped",
            ("external_id", "survey", "location", "submitted_at"),
            importers.META_COLUMNS + ("<question code>…",),
            lambda path, progress: importers.responses_import(path=path, progress=progress),
            formats="CSV or NDJSON",
        )
    )
