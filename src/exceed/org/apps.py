from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "exceed.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self):
        from exceed.api.main import add_domain_router, use_token_resolvers
        from exceed.org.scopes import scope_for
        from exceed.org.tokens import token_owner

        use_token_resolvers(owner=token_owner, scope=scope_for)
        add_domain_router("exceed.org.api.router")
