"""Intake's forms, by topic; they validate and never save."""

from alongside.intake.forms.requests import GENDERS, SupportRequestForm

__all__ = ["GENDERS", "SupportRequestForm"]
