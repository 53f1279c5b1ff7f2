from django.urls import path

from alongside.intake import views

app_name = "intake"
urlpatterns = [
    path("ask/<slug:program_slug>/", views.request_support, name="request_support"),
    path("ask/<slug:program_slug>/received/", views.request_received, name="request_received"),
    path("requests/", views.request_queue, name="queue"),
    path("requests/by-phone/", views.take_call, name="take_call"),
    path("requests/by-phone/<int:program_id>/", views.take_call_for, name="take_call_for"),
    path("requests/<int:request_id>/taken/", views.call_taken, name="call_taken"),
    path("requests/<int:request_id>/", views.request_detail, name="request_detail"),
]
