from django.urls import path

from alongside.notifications import views

app_name = "notifications"
urlpatterns = [
    path("messages/undelivered/", views.undelivered, name="undelivered"),
    path(
        "messages/undelivered/<int:message_id>/send-again/",
        views.send_again,
        name="send_again",
    ),
]
