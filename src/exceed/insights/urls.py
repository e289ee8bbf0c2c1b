from django.urls import path

from exceed.insights import views

app_name = "insights"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("responses/", views.responses, name="responses"),
]
