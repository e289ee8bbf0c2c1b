from django.urls import path

from exceed.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.subscription_list, name="list"),
    path("<int:subscription_id>/delete/", views.subscription_delete, name="delete"),
]
