from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The chain's customers' rights: find, export and erase one customer; retention and purge."""

    name = "exceed.privacy"
    label = "privacy"
    verbose_name = _("Privacy")
