"""The back office (superusers) reads mystery shopping; changes go through the owner's pages and the API."""

from django.contrib import admin

from exceed.mystery.models import Assignment, Programme, Report, Scorecard, Shopper


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Programme)
class ProgrammeAdmin(ReadOnly):
    list_display = ["name", "rhythm", "touchpoint", "active"]


@admin.register(Scorecard)
class ScorecardAdmin(ReadOnly):
    list_display = ["__str__", "critical_rule", "critical_cap"]


@admin.register(Shopper)
class ShopperAdmin(ReadOnly):
    list_display = ["display_name", "language", "active", "terms_accepted_at"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["programme", "location", "period", "slot", "status"]
    list_filter = ["status", "programme"]


@admin.register(Report)
class ReportAdmin(ReadOnly):
    list_display = ["assignment", "score", "failed_critical", "counts", "submitted_at"]
