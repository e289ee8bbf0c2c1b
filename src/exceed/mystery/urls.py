from django.urls import path

from exceed.mystery import scorecard_views, shopper_views, views

app_name = "mystery"
urlpatterns = [
    path("", views.home, name="home"),
    path("signin/<str:token>/", shopper_views.signin, name="signin"),
    path("shop/", shopper_views.shop, name="shop"),
    path("shop/terms/", shopper_views.terms_accept, name="terms_accept"),
    path("shop/<int:pk>/", shopper_views.report_form, name="report_form"),
    path("shop/<int:pk>/claim/", shopper_views.claim, name="claim"),
    path("shop/<int:pk>/release/", shopper_views.release, name="release"),
    path("shop/<int:pk>/evidence/", shopper_views.evidence_upload, name="evidence_upload"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/dispute/", views.dispute_raise, name="dispute_raise"),
    path("disputes/<int:pk>/decide/", views.dispute_decide, name="dispute_decide"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("results/", views.results, name="results"),
    path("results.csv", views.results_csv, name="results_csv"),
    path("results.xlsx", views.results_xlsx, name="results_xlsx"),
    path("rewards/", views.rewards, name="rewards"),
    path("rewards/<int:pk>/pay/", views.reward_pay, name="reward_pay"),
    path("rewards.csv", views.rewards_csv, name="rewards_csv"),
    path("shoppers/", views.shoppers, name="shoppers"),
    path("shoppers/<int:pk>/active/", views.shopper_active, name="shopper_active"),
    path("shoppers/<int:pk>/link/", views.shopper_link, name="shopper_link"),
    path("programmes/new/", views.programme_new, name="programme_new"),
    path("assignments/<int:pk>/calibrate/", views.calibrate, name="calibrate"),
    path("scorecards/", scorecard_views.scorecard_list, name="scorecards"),
    path("scorecards/new/", scorecard_views.scorecard_new, name="scorecard_new"),
    path("scorecards/<int:scorecard_id>/", scorecard_views.scorecard_edit, name="scorecard"),
    path("scorecards/<int:scorecard_id>/phone/", scorecard_views.scorecard_phone, name="scorecard_phone"),
    path("scorecards/<int:scorecard_id>/preview/", scorecard_views.scorecard_preview, name="scorecard_preview"),
    path("scorecards/<int:scorecard_id>/sections/new/", scorecard_views.section_edit, name="section_new"),
    path("scorecards/<int:scorecard_id>/sections/<slug:section_code>/", scorecard_views.section_edit, name="section"),
    path(
        "scorecards/<int:scorecard_id>/sections/<slug:section_code>/do/<str:action>/",
        scorecard_views.builder_action,
        name="section_action",
    ),
    path(
        "scorecards/<int:scorecard_id>/sections/<slug:section_code>/items/new/",
        scorecard_views.item_edit,
        name="item_new",
    ),
    path(
        "scorecards/<int:scorecard_id>/sections/<slug:section_code>/items/<slug:item_code>/",
        scorecard_views.item_edit,
        name="item",
    ),
    path(
        "scorecards/<int:scorecard_id>/sections/<slug:section_code>/items/<slug:item_code>/do/<str:action>/",
        scorecard_views.builder_action,
        name="item_action",
    ),
]
