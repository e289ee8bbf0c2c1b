from django.contrib import admin

from exceed.privacy.models import PrivacyAudit


@admin.register(PrivacyAudit)
class PrivacyAuditAdmin(admin.ModelAdmin):
    """Read only: an audit that could be edited would prove nothing."""

    list_display = ["at", "action", "by_username", "via", "kind", "counts"]
    list_filter = ["action", "via"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
