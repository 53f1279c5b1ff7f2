from django.urls import path

from alongside.privacy import views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "requests/<int:request_id>/consents/<str:purpose>/record/",
        views.record,
        name="record",
    ),
]
