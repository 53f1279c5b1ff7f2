from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.matches.models import Match, SupportType
from alongside.programs.models import ContactMethod


class ContactLogForm(AccessibleFormMixin, forms.Form):
    occurred_at = forms.DateTimeField(
        label=_("When was it?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    was_made = forms.TypedChoiceField(
        label=_("Did you reach them?"),
        choices=[("yes", _("Yes, we talked")), ("no", _("No, I tried but could not reach them"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    minutes = forms.IntegerField(
        label=_("How long, in minutes?"), min_value=0, max_value=600, initial=30
    )
    method = forms.ChoiceField(
        label=_("How?"), choices=ContactMethod.choices, widget=forms.RadioSelect
    )
    support_types = forms.MultipleChoiceField(
        label=_("What support did you give?"),
        choices=SupportType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Choose all that apply."),
    )
    note = forms.CharField(
        label=_("Private note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you and the program's coordinators can read it. It is stored encrypted."),
    )

    def __init__(self, *args: Any, match: Match, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        kwargs["initial"].setdefault("method", match.request.preferred_contact_method)
        super().__init__(*args, **kwargs)
        self.match = match

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("was_made") and cleaned.get("minutes") == 0:
            self.add_error("minutes", _("If you talked, please give how many minutes it lasted."))
        if cleaned.get("was_made") and not cleaned.get("support_types"):
            self.add_error("support_types", _("Choose at least one kind of support you gave."))
        return cleaned


class StartMatchForm(forms.Form):
    supporter = forms.IntegerField(widget=forms.HiddenInput)
