from django.urls import path

from exceed.recovery import manage_views, views

app_name = "recovery"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("capture/", views.case_capture, name="capture"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/steps/<slug:kind>/", views.step_record, name="step_record"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/assign/", views.case_assign, name="case_assign"),
    path("dashboard/", manage_views.dashboard, name="dashboard"),
    path("export.csv", manage_views.export_csv, name="export"),
    path("rules/", manage_views.rules, name="rules"),
    path("categories/", manage_views.categories, name="categories"),
    path("categories/new/", manage_views.category_edit, name="category_new"),
    path("categories/<int:category_id>/", manage_views.category_edit, name="category"),
    path("deadlines/", manage_views.deadlines, name="deadlines"),
    path("deadlines/<int:policy_id>/delete/", manage_views.deadline_delete, name="deadline_delete"),
]
