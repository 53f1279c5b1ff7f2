from django.urls import path

from alongside.programs.views import pipeline, setup

app_name = "programs"
urlpatterns = [
    path("programs/settings/", pipeline.settings_index, name="settings_index"),
    path("programs/settings/new/", setup.new_program, name="new_program"),
    path("programs/<int:program_id>/settings/", pipeline.program_settings, name="settings"),
    path("programs/<int:program_id>/settings/general/", setup.edit_general, name="edit_general"),
    path(
        "programs/<int:program_id>/settings/languages/",
        setup.edit_languages,
        name="edit_languages",
    ),
    path("programs/<int:program_id>/settings/rules/", setup.edit_rules, name="edit_rules"),
    path("programs/<int:program_id>/settings/schedule/", setup.edit_schedule, name="edit_schedule"),
    path("programs/<int:program_id>/settings/safety/", setup.edit_safety, name="edit_safety"),
    path(
        "programs/<int:program_id>/settings/reporting/",
        setup.edit_reporting,
        name="edit_reporting",
    ),
    path("programs/<int:program_id>/settings/sites/new/", setup.add_site, name="add_site"),
    path("programs/settings/sites/<int:site_id>/", setup.edit_site, name="edit_site"),
    path(
        "programs/<int:program_id>/settings/coordinators/new/",
        setup.appoint_coordinator,
        name="appoint_coordinator",
    ),
    path("programs/<int:program_id>/settings/team/", setup.team, name="team"),
    path(
        "programs/settings/team/<int:membership_id>/sites/",
        setup.change_team_role_sites,
        name="team_role_sites",
    ),
    path("programs/<int:program_id>/settings/steps/new/", pipeline.add_step, name="add_step"),
    path("programs/settings/steps/<int:step_id>/", pipeline.edit_step, name="edit_step"),
    path("programs/settings/steps/<int:step_id>/move/", pipeline.move_step, name="move_step"),
    path("programs/settings/steps/<int:step_id>/retire/", pipeline.retire_step, name="retire_step"),
    path(
        "programs/<int:program_id>/settings/trainings/new/", pipeline.add_module, name="add_module"
    ),
    path("programs/settings/trainings/<int:module_id>/", pipeline.edit_module, name="edit_module"),
    path(
        "programs/settings/trainings/<int:module_id>/retire/",
        pipeline.retire_module,
        name="retire_module",
    ),
]
