from django.urls import path

from exceed.standards import manage_views, views

app_name = "standards"
urlpatterns = [
    path("", views.playbook, name="playbook"),
    path("charter/", views.charter, name="charter"),
    path("situations/<int:situation_id>/", views.situation, name="situation"),
    path("situations/<int:situation_id>/poster/", views.poster, name="poster"),
    path("entries/<int:entry_id>/", views.entry, name="entry"),
    path("entries/<int:entry_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("entries/<int:entry_id>/versions/<int:version_id>/", views.version, name="version"),
    path("coverage/", views.coverage, name="coverage"),
    path("coverage/remind/", views.coverage_remind, name="coverage_remind"),
    path("coverage/export.<str:kind>", views.coverage_export, name="coverage_export"),
    path("manage/", manage_views.manage, name="manage"),
    path("manage/charter/", manage_views.charter_edit, name="charter_edit"),
    path("manage/charter/publish/", manage_views.charter_publish, name="charter_publish"),
    path("manage/charter/attributes/new/", manage_views.attribute_edit, name="attribute_new"),
    path("manage/charter/attributes/<int:attribute_id>/", manage_views.attribute_edit, name="attribute_edit"),
    path("manage/situations/new/", manage_views.situation_edit, name="situation_new"),
    path("manage/situations/<int:situation_id>/", manage_views.situation_edit, name="situation_edit"),
    path("manage/entries/new/", manage_views.entry_new, name="entry_new"),
    path("manage/entries/<int:entry_id>/", manage_views.entry_edit, name="entry_edit"),
    path("manage/entries/<int:entry_id>/<str:action>/", manage_views.entry_move, name="entry_move"),
    path("manage/export.json", manage_views.playbook_export, name="playbook_export"),
    path("manage/import/", manage_views.playbook_import, name="playbook_import"),
]
