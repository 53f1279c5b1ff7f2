from django.urls import path

from alongside.intake import views

app_name = "intake"
urlpatterns = [
    path("ask/<slug:program_slug>/", views.request_support, name="request_support"),
    path("ask/<slug:program_slug>/received/", views.request_received, name="request_received"),
    path("requests/", views.request_queue, name="queue"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
]
