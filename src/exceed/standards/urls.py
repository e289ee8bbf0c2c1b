from django.urls import path

from exceed.standards import views

app_name = "standards"
urlpatterns = [
    path("", views.playbook, name="playbook"),
    path("charter/", views.charter, name="charter"),
    path("entries/<int:entry_id>/", views.entry, name="entry"),
]
