from django.urls import path

from exceed.insights import views

app_name = "insights"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/measures/", views.dashboard_measures, name="dashboard_measures"),
    path("dashboard/report.pdf", views.monthly_report, name="monthly_report"),
    path("dashboard/report/", views.monthly_report_page, name="monthly_report_page"),
    path("dashboard/report/recipients/", views.report_recipients, name="report_recipients"),
    path("dashboard/comments/", views.dashboard_comments, name="dashboard_comments"),
    path("responses/", views.responses, name="responses"),
    path("responses/export.csv", views.export_csv, name="export_csv"),
    path("responses/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("consistency/", views.consistency, name="consistency"),
    path("consistency/export.csv", views.consistency_csv, name="consistency_csv"),
    path("consistency/export.xlsx", views.consistency_xlsx, name="consistency_xlsx"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
]
