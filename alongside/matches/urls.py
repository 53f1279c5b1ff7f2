from django.urls import path

from alongside.matches import follow_up, offboarding_views, start_views, supporter_list, views

app_name = "matches"
urlpatterns = [
    path("requests/<int:request_id>/match/", start_views.start_match, name="start"),
    path("matches/", views.match_list, name="list"),
    # Every supporter, with their open matches counted: here because it counts matches.
    path("supporters/", supporter_list.supporter_list, name="supporters"),
    path("matches/<int:match_id>/", views.match_detail, name="detail"),
    path("matches/<int:match_id>/contacts/new/", views.log_contact, name="log_contact"),
    path("matches/<int:match_id>/pause/", views.pause_match, name="pause"),
    path("matches/<int:match_id>/resume/", views.resume_match, name="resume"),
    path("matches/<int:match_id>/extend/", views.extend_match, name="extend"),
    path("matches/<int:match_id>/close/", views.close_match, name="close"),
    path("matches/<int:match_id>/goals/new/", views.add_goal, name="add_goal"),
    path("contacts/<int:contact_id>/comments/", views.comment_on_contact, name="comment"),
    path("checkins/<int:checkin_id>/", views.log_checkin, name="checkin"),
    path("goals/<int:goal_id>/", views.update_goal, name="goal"),
    path("hours/", views.hours_reports, name="hours_reports"),
    path("hours/<int:report_id>/", views.hours_report, name="hours_report"),
    # The follow-up queue: four lists, each behind its tab (matches/follow_up.py).
    path("follow-up/", follow_up.follow_up, name="follow_up"),
    path("follow-up/hours/", follow_up.follow_up_list, {"shown": "hours"}, name="follow_up_hours"),
    path(
        "follow-up/no-contact/",
        follow_up.follow_up_list,
        {"shown": "silent"},
        name="follow_up_silent",
    ),
    path(
        "follow-up/check-ins/",
        follow_up.follow_up_list,
        {"shown": "checkins"},
        name="follow_up_checkins",
    ),
    path("follow-up/asked/", follow_up.follow_up_list, {"shown": "asked"}, name="follow_up_asked"),
    # On the supporter's record; here because it hands over their matches.
    path("supporters/<int:supporter_id>/offboard/", offboarding_views.offboard, name="offboard"),
    path(
        "supporters/<int:supporter_id>/offboard/supporters/",
        offboarding_views.search_handover,
        name="search_handover",
    ),
]
