from django.urls import path

from alongside.programs import views

app_name = "programs"
urlpatterns = [
    path("programs/settings/", views.settings_index, name="settings_index"),
    path("programs/<int:program_id>/settings/", views.program_settings, name="settings"),
    path("programs/<int:program_id>/settings/steps/new/", views.add_step, name="add_step"),
    path("programs/settings/steps/<int:step_id>/", views.edit_step, name="edit_step"),
    path("programs/settings/steps/<int:step_id>/move/", views.move_step, name="move_step"),
    path("programs/settings/steps/<int:step_id>/retire/", views.retire_step, name="retire_step"),
    path("programs/<int:program_id>/settings/trainings/new/", views.add_module, name="add_module"),
    path("programs/settings/trainings/<int:module_id>/", views.edit_module, name="edit_module"),
    path(
        "programs/settings/trainings/<int:module_id>/retire/",
        views.retire_module,
        name="retire_module",
    ),
]
