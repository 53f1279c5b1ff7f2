from django.urls import path

from alongside.privacy import break_glass_views, erasure_views, retention_views, views

app_name = "privacy"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("consents/<int:consent_id>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "requests/<int:request_id>/consents/<str:purpose>/record/",
        views.record,
        name="record",
    ),
    path(
        "programs/<int:program_id>/retention/",
        retention_views.retention_settings,
        name="retention",
    ),
    path(
        "programs/<int:program_id>/retention/dry-run/",
        retention_views.retention_dry_run,
        name="retention_dry_run",
    ),
    path("requests/<int:request_id>/legal-hold/", retention_views.hold_person, name="hold_person"),
    path("matches/<int:match_id>/legal-hold/", retention_views.hold_match, name="hold_match"),
    path("legal-holds/<int:hold_id>/lift/", retention_views.lift_hold, name="lift_hold"),
    # Break-glass (issue 17, item 5)
    path("requests/<int:request_id>/emergency/", break_glass_views.open_record, name="break_glass"),
    path("emergency-access/", break_glass_views.reviews, name="break_glass_reviews"),
    path(
        "emergency-access/<int:access_id>/",
        break_glass_views.review,
        name="break_glass_review",
    ),
    # A person's copy and their erasure, on their request.
    path("requests/<int:request_id>/copy/", erasure_views.person_copy_page, name="person_copy"),
    path(
        "requests/<int:request_id>/copy/<str:file_format>/",
        erasure_views.person_copy_download,
        name="person_copy_download",
    ),
    path("requests/<int:request_id>/erase/", erasure_views.erase_person, name="erase_person"),
]
