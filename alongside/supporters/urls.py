from django.urls import path

from alongside.supporters.views import (
    applications,
    offboarding,
    pipeline,
    portal,
    profile,
    supervision,
)

app_name = "supporters"
urlpatterns = [
    path("apply/<slug:program_slug>/", applications.apply, name="apply"),
    path("apply/<slug:program_slug>/received/", applications.applied, name="applied"),
    path("supporters/board/", pipeline.board, name="board"),
    path("supporters/board/advance/", pipeline.board_advance, name="board_advance"),
    path("supporters/import/", pipeline.import_supporters, name="import"),
    path("supporters/<int:supporter_id>/", pipeline.supporter_detail, name="detail"),
    path("supporters/<int:supporter_id>/steps/", pipeline.record_step, name="record_step"),
    path("supporters/<int:supporter_id>/checks/", pipeline.record_check, name="record_check"),
    path(
        "supporters/<int:supporter_id>/trainings/", pipeline.record_training, name="record_training"
    ),
    path(
        "supporters/<int:supporter_id>/supervisor/",
        pipeline.choose_supervisor,
        name="choose_supervisor",
    ),
    path("supporters/<int:supporter_id>/profile/", profile.edit_profile, name="profile"),
    path(
        "supporters/<int:supporter_id>/back-from-break/",
        offboarding.return_from_break,
        name="return_from_break",
    ),
    path(
        "supporters/<int:supporter_id>/experiences/",
        profile.add_experience,
        name="add_experience",
    ),
    path(
        "supporters/<int:supporter_id>/experiences/<int:experience_id>/remove/",
        profile.remove_experience,
        name="remove_experience",
    ),
    path(
        "supporters/applications/<int:application_id>/",
        applications.application_detail,
        name="application",
    ),
    path("supervision/", supervision.supervisees, name="supervisees"),
    path(
        "supporters/<int:supporter_id>/supervision/",
        supervision.supervision_sessions,
        name="supervision",
    ),
    path("me/<int:supporter_id>/wellbeing/", portal.record_wellbeing, name="wellbeing"),
    path("me/<int:supporter_id>/debrief/", portal.request_debrief, name="debrief"),
]
