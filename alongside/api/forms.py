import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.api.models import Scope
from alongside.core.forms import AccessibleFormMixin


class TokenForm(AccessibleFormMixin, forms.Form):
    """A new token: what it is for, what it may do, until when (the service checks the rules)."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("The system that will use it, such as: St. Paul's referral system."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only what that system needs. It sees what you see in this program, no more."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most a year from today. It stops working at the end of that day."),
    )

    def __init__(self, *args: Any, last_day: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("expires_on", last_day)
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].widget.attrs["max"] = last_day.isoformat()
