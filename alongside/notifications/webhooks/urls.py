from django.urls import path

from alongside.notifications.webhooks import views

# Included in the notifications namespace ("notifications:webhook_endpoints").
urlpatterns = [
    path(
        "programs/<int:program_id>/settings/webhooks/",
        views.endpoints,
        name="webhook_endpoints",
    ),
    path(
        "programs/<int:program_id>/settings/webhooks/add/",
        views.add_endpoint,
        name="add_webhook_endpoint",
    ),
    path(
        "programs/<int:program_id>/settings/webhooks/given-up/",
        views.given_up,
        name="given_up_webhooks",
    ),
    path("webhooks/<int:endpoint_id>/", views.edit_endpoint, name="edit_webhook_endpoint"),
    path("webhooks/<int:endpoint_id>/secret/", views.rotate_secret, name="rotate_webhook_secret"),
    path("webhooks/<int:endpoint_id>/secret/new/", views.secret, name="webhook_secret"),
    path("webhooks/<int:endpoint_id>/test/", views.send_test_event, name="send_test_webhook"),
    path(
        "webhooks/deliveries/<int:message_id>/send-again/",
        views.send_again,
        name="send_webhook_again",
    ),
]
