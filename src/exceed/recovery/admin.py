"""Back office: the editable lists (categories, step deadlines) and read-only views of the rest."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from exceed.core.texts import model_form_with_translations
from exceed.recovery.models import CaseCategory, DeadlinePolicy, RecoveryCase, RecoverySettings, TillVisit

# The name, and its translations one field per language (core.texts).
CaseCategoryForm = model_form_with_translations(
    CaseCategory, fields=["code", "name", "position", "active"], prefix="names", label=_("Name"), max_length=80
)


@admin.register(CaseCategory)
class CaseCategoryAdmin(admin.ModelAdmin):
    form = CaseCategoryForm
    list_display = ("code", "name", "position", "active")
    list_editable = ("name", "position", "active")


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = ("step", "category", "severity", "hours")
    list_filter = ("step", "category", "severity")


@admin.register(RecoverySettings)
class RecoverySettingsAdmin(admin.ModelAdmin):
    """One row of settings: it can be changed, never added twice or deleted."""

    list_display = ("followup_delay_hours", "loyalty_window_days", "digest_minutes")

    def has_add_permission(self, request):
        return not RecoverySettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(admin.ModelAdmin):
    """Read-only: cases change through the case page, so the workflow and its history hold."""

    list_display = ("pk", "opened_at", "location", "category", "status", "summary")
    list_filter = ("status", "location", "category")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A case is the record that a customer was let down and what was done: it is closed, never deleted.
        return False


@admin.register(TillVisit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ("external_id", "location", "visited_at", "amount")

    def has_change_permission(self, request, obj=None):
        return False
