from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MysteryConfig(AppConfig):
    """Mystery shopping: programmes, scorecards, shoppers, assignments, reports and their results."""

    name = "exceed.mystery"
    label = "mystery"
    verbose_name = _("Mystery shopping")
