from django.urls import path

from alongside.matches import views

app_name = "matches"
urlpatterns = [
    path("requests/<int:request_id>/match/", views.start_match, name="start"),
    path("matches/", views.match_list, name="list"),
    path("matches/<int:match_id>/", views.match_detail, name="detail"),
    path("matches/<int:match_id>/contacts/new/", views.log_contact, name="log_contact"),
]
