from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from exceed.logins import BackOfficeSignInForm, SignInForm, two_factor
from exceed.org.views import home

# One sign-in check for both doors: the password (django-axes counting failures), then the
# authenticator's code for logins that turned two-factor sign-in on.
admin.site.login_form = BackOfficeSignInForm
admin.site.login_template = "registration/admin_login.html"

urlpatterns = [
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("account/two-factor/", two_factor, name="two_factor"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        auth_views.PasswordResetView.as_view(
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"base_url": settings.BASE_URL},
        ),
        name="password_reset",
    ),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("exceed.api.urls")),
    path("", include("exceed.feedback.urls")),
    path("", include("exceed.insights.urls")),
    path("recovery/", include("exceed.recovery.urls")),
    path("webhooks/", include("exceed.webhooks.urls")),
    path("standards/", include("exceed.standards.urls")),
    path("mystery/", include("exceed.mystery.urls")),
    path("privacy/", include("exceed.privacy.urls")),
    path("", include("exceed.org.urls")),
]
