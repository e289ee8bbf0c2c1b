from django.contrib import admin

from exceed.org.models import Location, Membership, Person, Region, Touchpoint


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "timezone", "default_language", "active"]
    list_filter = ["region", "default_language", "active"]
    search_fields = ["code", "name"]


@admin.register(Touchpoint)
class TouchpointAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "position"]
    list_editable = ["name", "position"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "job_role", "external_ref", "user", "active"]
    list_filter = ["active", "locations"]
    search_fields = ["name", "email", "external_ref"]
    filter_horizontal = ["locations"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]
    filter_horizontal = ["regions", "locations"]
    raw_id_fields = ["user"]
