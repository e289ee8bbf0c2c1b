from django.urls import path

from exceed.api.main import api

urlpatterns = [path("", api.urls)]
