from django.urls import path

from alongside.supporters import views

app_name = "supporters"
urlpatterns = [
    path("apply/<slug:program_slug>/", views.apply, name="apply"),
    path("apply/<slug:program_slug>/received/", views.applied, name="applied"),
    path("supporters/board/", views.board, name="board"),
    path("supporters/board/advance/", views.board_advance, name="board_advance"),
    path("supporters/import/", views.import_supporters, name="import"),
    path("supporters/<int:supporter_id>/", views.supporter_detail, name="detail"),
    path("supporters/<int:supporter_id>/steps/", views.record_step, name="record_step"),
    path("supporters/<int:supporter_id>/checks/", views.record_check, name="record_check"),
    path("supporters/<int:supporter_id>/trainings/", views.record_training, name="record_training"),
    path("supporters/<int:supporter_id>/match/", views.match_supporter, name="match"),
    path("supporters/<int:supporter_id>/profile/", views.edit_profile, name="profile"),
    path("supporters/<int:supporter_id>/offboard/", views.offboard, name="offboard"),
    path(
        "supporters/<int:supporter_id>/back-from-break/",
        views.return_from_break,
        name="return_from_break",
    ),
    path(
        "supporters/<int:supporter_id>/experiences/",
        views.add_experience,
        name="add_experience",
    ),
    path(
        "supporters/<int:supporter_id>/experiences/<int:experience_id>/remove/",
        views.remove_experience,
        name="remove_experience",
    ),
    path(
        "supporters/applications/<int:application_id>/",
        views.application_detail,
        name="application",
    ),
    path("supervision/", views.supervisees, name="supervisees"),
    path(
        "supporters/<int:supporter_id>/supervision/",
        views.supervision_sessions,
        name="supervision",
    ),
    path("me/", views.portal, name="portal"),
    path("me/<int:supporter_id>/wellbeing/", views.record_wellbeing, name="wellbeing"),
    path("me/<int:supporter_id>/debrief/", views.request_debrief, name="debrief"),
]
