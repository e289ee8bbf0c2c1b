from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    """The experience charter and the playbook: what we promise and how each situation is handled."""

    name = "exceed.standards"
    label = "standards"
    verbose_name = _("Standards")
