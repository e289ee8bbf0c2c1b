from django.urls import path

from exceed.recovery import views

app_name = "recovery"
urlpatterns = [
    path("", views.case_list, name="case_list"),
]
