from django.urls import path

from alongside.resources import views

app_name = "resources"
urlpatterns = [
    path("resources/", views.directory, name="directory"),
    path("resources/new/", views.edit_resource, name="add"),
    path("resources/<int:resource_id>/edit/", views.edit_resource, name="edit"),
    path("resources/import/", views.import_resources, name="import"),
    path("resources/referrals/", views.referral_figures, name="referrals"),
]
