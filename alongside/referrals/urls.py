from django.urls import path

from alongside.referrals import views

app_name = "referrals"
urlpatterns = [
    path("referrals/", views.my_referrals, name="mine"),
    path("referrals/<int:request_id>/", views.referral_detail, name="detail"),
    path("referrals/new/", views.choose_program, name="choose_program"),
    path("referrals/new/<slug:program_slug>/", views.refer, name="refer"),
]
