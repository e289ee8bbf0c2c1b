from django.urls import path

from exceed.feedback import views

app_name = "feedback"
urlpatterns = [
    path("s/<slug:slug>/", views.survey_link, name="link"),
    path("k/<slug:slug>/", views.survey_kiosk, name="kiosk"),
    path("i/<str:token>/", views.survey_invitation, name="invitation"),
    path("s/<slug:slug>/thanks/", views.thanks, name="thanks"),
]

from exceed.feedback import manage_views  # noqa: E402

urlpatterns += [
    path("channels/", manage_views.channel_list, name="channels"),
    path("surveys/", manage_views.survey_list, name="surveys"),
]
