from django.urls import path

from alongside.groups import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.session_list, {"shown": "upcoming"}, name="list"),
    path("groups/past/", views.session_list, {"shown": "past"}, name="past"),
    path("groups/new/", views.schedule, name="schedule"),
    path("groups/<int:session_id>/", views.session_detail, name="detail"),
    path("groups/<int:session_id>/edit/", views.edit_session, name="edit"),
    path("groups/<int:session_id>/cancel/", views.cancel_session, name="cancel"),
    path("groups/<int:session_id>/invite/", views.invite, name="invite"),
    path("groups/<int:session_id>/invite/search/", views.search_invitees, name="search_invitees"),
    path("groups/<int:session_id>/attendance/", views.take_attendance, name="attendance"),
    path("groups/<int:session_id>/calendar.ics", views.session_calendar, name="calendar"),
    path("me/invitations/<int:attendance_id>/answer/", views.answer, name="answer"),
]
