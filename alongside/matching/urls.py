from django.urls import path

from alongside.matching import request_page, run_pages, supporter_page, views

app_name = "matching"
urlpatterns = [
    path("requests/<int:request_id>/propose/", views.propose, name="propose"),
    path("requests/<int:request_id>/conflicts/", views.record_conflict, name="record_conflict"),
    path(
        "requests/<int:request_id>/supporters/",
        request_page.search_supporters,
        name="search_supporters",
    ),
    path(
        "supporters/<int:supporter_id>/match/requests/",
        supporter_page.search_waiting_requests,
        name="search_waiting_requests",
    ),
    path(
        "supporters/<int:supporter_id>/match/",
        supporter_page.match_supporter,
        name="match_supporter",
    ),
    path("matching/everyone/", run_pages.match_everyone, name="everyone"),
    path("matching/runs/<uuid:batch>/progress/", run_pages.run_progress, name="run_progress"),
    path("matching/runs/<uuid:batch>/", run_pages.run, name="run"),
    path("matching/runs/<uuid:batch>/send/", run_pages.send_run, name="send_run"),
    path("matching/proposals/", views.proposals, name="proposals"),
    path("matching/proposals/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path("matching/proposals/<int:proposal_id>/answer/", views.answer, name="answer"),
    path("matching/proposals/<int:proposal_id>/confirm/", views.confirm, name="confirm"),
    path("matching/proposals/<int:proposal_id>/withdraw/", views.withdraw, name="withdraw"),
    path("matching/proposals/<int:proposal_id>/replace/", run_pages.replace_draft, name="replace"),
    path("matching/settings/<int:program_id>/", views.matching_settings, name="settings"),
]
