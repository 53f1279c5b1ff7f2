from django.urls import path

from alongside.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/", views.account_settings, name="settings"),
    path("sign-in-locks/", views.lockouts, name="lockouts"),
    path("sign-in-locks/<int:attempt_id>/lift/", views.lift_lockout, name="lift_lockout"),
    path("welcome/<str:account>/<str:token>/", views.invitation, name="invitation"),
    path(
        "welcome/<str:account>/<str:token>/new-link/",
        views.renew_invitation,
        name="renew_invitation",
    ),
]
