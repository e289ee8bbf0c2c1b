"""Back office for superusers. Stores, people, regions and logins change through Exceed's own pages
and services (which check codes, time zones, scope and history); here they are read-only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import LANGUAGE_CODES, model_form_with_translations
from exceed.org.models import Location, Membership, Person, Region, Touchpoint


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never added, changed or deleted here: the services are the only writers."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region", "timezone", "default_language", "active"]
    list_filter = ["region", "default_language", "active"]
    search_fields = ["code", "name"]


# The name, and its translations one field per language (core.texts).
TouchpointForm = model_form_with_translations(
    Touchpoint, fields=["code", "name", "position"], prefix="names", label=_("Name"), max_length=80
)


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    form = TouchpointForm
    list_display = ["code", "name", "position"]
    list_editable = ["name", "position"]

    def get_fieldsets(self, request, obj=None):
        names = [f"names_{code}" for code in LANGUAGE_CODES]
        return [(None, {"fields": ["code", "name", "position"]}), (_("Name in each language"), {"fields": names})]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "job_role", "external_ref", "user", "active", "shown_to_customers"]
    list_filter = ["active", "shown_to_customers", "locations"]
    search_fields = ["name", "email", "external_ref"]
    filter_horizontal = ["locations"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["regions", "locations"]
    raw_id_fields = ["user"]
