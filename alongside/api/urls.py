from django.urls import path

from alongside.api import views

app_name = "api_tokens"
urlpatterns = [
    path("programs/<int:program_id>/settings/api-tokens/", views.token_list, name="list"),
    path("programs/<int:program_id>/settings/api-tokens/new/", views.new_token, name="new"),
    path("programs/settings/api-tokens/<int:token_id>/revoke/", views.revoke, name="revoke"),
]
