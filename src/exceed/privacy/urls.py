from django.urls import path

from exceed.privacy import views

app_name = "privacy"
urlpatterns = [
    path("", views.home, name="home"),
    path("export/", views.export, name="export"),
    path("erase/", views.erase, name="erase"),
    path("retention/", views.retention, name="retention"),
]
