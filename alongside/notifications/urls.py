from django.urls import path

from alongside.notifications import views

app_name = "notifications"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.mark_all_read, name="mark_all_read"),
    path("inbox/<int:message_id>/read/", views.mark_read, name="mark_read"),
    path("inbox/<int:message_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("messages/undelivered/", views.undelivered, name="undelivered"),
    path(
        "messages/undelivered/<int:message_id>/send-again/",
        views.send_again,
        name="send_again",
    ),
]
