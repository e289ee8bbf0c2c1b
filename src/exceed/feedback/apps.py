from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "exceed.feedback"
    label = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from exceed.api.main import add_domain_router

        add_domain_router("exceed.feedback.api.router")
