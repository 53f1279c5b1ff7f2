from django.urls import path

from alongside.notifications import views
from alongside.notifications.providers import views as providers
from alongside.notifications.webhooks.urls import urlpatterns as webhooks
from alongside.notifications.wording import views as wording

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
    path("messages/undeliverable/", providers.undeliverable, name="undeliverable"),
    path(
        "messages/undeliverable/<int:mark_id>/clear/",
        providers.clear_undeliverable,
        name="clear_undeliverable",
    ),
    # The providers' webhooks: anymail's path for each ESP, Twilio's status callback.
    path("anymail/<slug:esp>/tracking/", providers.email_events, name="email_events"),
    path("providers/twilio/status/", providers.sms_status, name="sms_status"),
    path("programs/<int:program_id>/settings/messages/", wording.program_wording, name="wording"),
    path(
        "programs/<int:program_id>/settings/messages/<str:key>/",
        wording.edit_program_wording,
        name="edit_wording",
    ),
    path(
        "programs/<int:program_id>/settings/messages/<str:key>/default/",
        wording.revert_program_wording,
        name="revert_wording",
    ),
    path("messages/wording/", wording.installation_wording, name="installation_wording"),
    path(
        "messages/wording/<str:key>/",
        wording.edit_installation_wording,
        name="edit_installation_wording",
    ),
    path(
        "messages/wording/<str:key>/default/",
        wording.revert_installation_wording,
        name="revert_installation_wording",
    ),
]
urlpatterns += webhooks
