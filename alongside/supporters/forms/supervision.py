"""A supervision session, as a supervisor records it."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import WITHIN_PLANNING_HORIZON, AccessibleFormMixin
from alongside.supporters.models import SupervisionFormat


class SupervisionForm(AccessibleFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=480)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SupervisionFormat.choices,
        initial=SupervisionFormat.ONE_TO_ONE,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only supervisors and coordinators read these. The supporter does not."),
    )
    follow_up_on = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Follow up by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The supporter sees this date as their next supervision."),
    )
    answers_debriefs = forms.BooleanField(
        label=_("This session answers their open debrief requests"), required=False
    )

    def __init__(self, *args: Any, has_open_debriefs: bool, **kwargs: Any) -> None:
        super().__init__(*args, prefix="session", **kwargs)
        if not has_open_debriefs:
            del self.fields["answers_debriefs"]

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Please give a day that has already come."))
        return held_on
