from django.urls import path

from exceed.org import login_views
from exceed.org import organisation_views as pages

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
    path("regions/", pages.region_list, name="regions"),
    path("regions/<int:region_id>/", pages.region_edit, name="region"),
    path("stores/", pages.location_list, name="locations"),
    path("stores/new/", pages.location_new, name="location_new"),
    path("stores/import/", pages.location_import, name="location_import"),
    path("stores/<slug:code>/", pages.location_edit, name="location"),
    path("people/", pages.person_list, name="people"),
    path("people/new/", pages.person_new, name="person_new"),
    path("people/import/", pages.person_import, name="person_import"),
    path("people/<int:person_id>/", pages.person_edit, name="person"),
    path("touchpoints/", pages.touchpoint_list, name="touchpoints"),
    path("touchpoints/new/", pages.touchpoint_edit, name="touchpoint_new"),
    path("touchpoints/<int:touchpoint_id>/", pages.touchpoint_edit, name="touchpoint"),
]
