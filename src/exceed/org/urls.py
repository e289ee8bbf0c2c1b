from django.urls import path

from exceed.org import login_views

app_name = "org"
urlpatterns = [
    path("logins/", login_views.login_list, name="logins"),
    path("logins/new/", login_views.login_new, name="login_new"),
    path("logins/<int:user_id>/", login_views.login_edit, name="login"),
    path("logins/<int:user_id>/active/", login_views.login_active, name="login_active"),
    path("logins/<int:user_id>/invite/", login_views.login_invite_again, name="login_invite"),
    path("welcome/<uidb64>/<token>/", login_views.welcome, name="welcome"),
    path("tokens/", login_views.token_list, name="tokens"),
    path("tokens/<int:token_id>/", login_views.token_rename, name="token_rename"),
    path("tokens/<int:token_id>/revoke/", login_views.token_revoke, name="token_revoke"),
]
