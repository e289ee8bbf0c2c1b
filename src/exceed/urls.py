from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from exceed.org.views import home

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("exceed.api.urls")),
    path("", include("exceed.feedback.urls")),
    path("", include("exceed.insights.urls")),
    path("recovery/", include("exceed.recovery.urls")),
]
