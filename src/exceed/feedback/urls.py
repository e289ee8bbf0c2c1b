from django.urls import path

from exceed.feedback import invitation_views, manage_views, survey_views, views

app_name = "feedback"
urlpatterns = [
    # Respondents (public)
    path("s/<slug:slug>/", views.survey_link, name="link"),
    path("s/<slug:slug>/thanks/", views.thanks, name="thanks"),
    path("k/<slug:slug>/", views.survey_kiosk, name="kiosk"),
    path("k/<slug:slug>/unlock/", views.kiosk_unlock, name="kiosk_unlock"),
    path("i/<str:token>/", views.survey_invitation, name="invitation"),
    # Back office
    path("channels/", manage_views.channel_list, name="channels"),
    path("channels/<slug:slug>/", manage_views.channel_detail, name="channel"),
    path("channels/<slug:slug>/poster/", manage_views.channel_poster, name="poster"),
    path("channels/<slug:slug>/qr.<str:kind>", manage_views.channel_qr, name="qr"),
    path("channels/<slug:slug>/revoke/", manage_views.channel_revoke, name="channel_revoke"),
    path("channels/<slug:slug>/edit/", manage_views.channel_edit, name="channel_edit"),
    path("channels/<slug:slug>/active/", manage_views.channel_active, name="channel_active"),
    path("channels/<slug:slug>/reissue/", manage_views.channel_reissue, name="channel_reissue"),
    path("invitations/", invitation_views.invitation_list, name="invitations"),
    path("invitations/new/", invitation_views.invitation_new, name="invitation_new"),
    path("invitations/preview/", invitation_views.invitation_preview, name="invitation_preview"),
    path("invitations/<int:batch_id>/", invitation_views.invitation_batch, name="invitation_batch"),
    path("surveys/", survey_views.survey_list, name="surveys"),
    path("surveys/new/", survey_views.survey_new, name="survey_new"),
    path("surveys/<slug:slug>/", survey_views.survey_edit, name="survey"),
    path("surveys/<slug:slug>/export.json", survey_views.survey_export, name="survey_export"),
    path("surveys/<slug:slug>/translations/", survey_views.survey_translations, name="survey_translations"),
    path("surveys/<slug:slug>/phone/", survey_views.survey_phone, name="survey_phone"),
    path("surveys/<slug:slug>/preview/", survey_views.survey_preview, name="survey_preview"),
    path("surveys/<slug:slug>/status/<str:status>/", survey_views.survey_status, name="survey_status"),
    path("surveys/<slug:slug>/questions/new/", survey_views.question_edit, name="question_new"),
    path("surveys/<slug:slug>/questions/<int:question_id>/", survey_views.question_edit, name="question"),
    path(
        "surveys/<slug:slug>/questions/<int:question_id>/<str:action>/",
        survey_views.question_action,
        name="question_action",
    ),
]
