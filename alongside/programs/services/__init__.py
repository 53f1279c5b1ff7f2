"""Every change to a program, by topic: its setup (settings, sites), its team, its
supporters' pipeline steps and trainings, and the shared list of experiences programs serve."""

from alongside.programs.services.checks import SettingsError
from alongside.programs.services.pipeline import (
    add_pipeline_step,
    add_training_module,
    change_pipeline_step,
    change_training_module,
    move_pipeline_step,
    retire_pipeline_step,
    retire_training_module,
)
from alongside.programs.services.setup import (
    add_site,
    change_crisis_questions,
    change_eligibility_rules,
    change_general_settings,
    change_languages_and_methods,
    change_reporting,
    change_safety_settings,
    change_schedule,
    change_site,
    create_program,
)
from alongside.programs.services.taxonomy import add_experience
from alongside.programs.services.team import appoint_coordinator, tie_role_to_sites

__all__ = [
    "SettingsError",
    "add_experience",
    "add_pipeline_step",
    "add_site",
    "add_training_module",
    "appoint_coordinator",
    "change_crisis_questions",
    "change_eligibility_rules",
    "change_general_settings",
    "change_languages_and_methods",
    "change_pipeline_step",
    "change_reporting",
    "change_safety_settings",
    "change_schedule",
    "change_site",
    "change_training_module",
    "create_program",
    "move_pipeline_step",
    "retire_pipeline_step",
    "retire_training_module",
    "tie_role_to_sites",
]
