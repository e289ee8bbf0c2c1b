from django.urls import path

from exceed.mystery import shopper_views, views

app_name = "mystery"
urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", shopper_views.signin_password, name="signin_password"),
    path("signin/link/", shopper_views.signin_link_request, name="signin_link_request"),
    path("shop/profile/", shopper_views.profile, name="profile"),
    path("shop/password/", shopper_views.password_set, name="password_set"),
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
]
