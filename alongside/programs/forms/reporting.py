"""The funder reports' section of a program's settings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.programs.forms.setup import SettingsForm
from alongside.programs.models import ReportedDemographic


class ReportingForm(SettingsForm):
    report_minimum_count = forms.IntegerField(
        label=_("Smallest count shown in reports"),
        min_value=1,
        max_value=100,
        help_text=_(
            "A smaller count of people is shown as “fewer than” this number, so that nobody "
            "can be singled out. 5 is the usual choice."
        ),
    )
    reported_demographics = forms.MultipleChoiceField(
        label=_("Demographics reported"),
        choices=ReportedDemographic.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The facts asked on each request that the funder report counts, group by group."
        ),
    )
