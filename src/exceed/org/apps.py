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
        _register_imports()


def _register_imports() -> None:
    from exceed.core.imports import ImportKind, register_import
    from exceed.org import importers

    register_import(
        ImportKind(
            "locations",
            "stores, created or updated by code; regions created by code if new",
            ("code", "name", "region"),
            importers.LOCATION_COLUMNS,
            lambda path, progress: importers.locations_import(path=path),
        )
    )
    register_import(
        ImportKind(
            "people",
            "employees, updated by employee number; locations are codes split by ';'",
            ("name", "locations"),
            importers.PEOPLE_COLUMNS,
            lambda path, progress: importers.people_import(path=path),
        )
    )
