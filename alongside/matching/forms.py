from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.core.pickers import PickerField
from alongside.matching.models import MatchingSettings
from alongside.matching.scoring import CRITERIA, criterion_label


class WhyNotForm(AccessibleFormMixin, forms.Form):
    """A supporter of the program, found by searching their name (core.pickers)."""

    supporter = PickerField(label=_("Which supporter?"))


class ConflictForm(WhyNotForm):
    """A supporter the person must never be proposed to, and why."""

    reason = forms.CharField(
        label=_("Why (only coordinators see this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supporter"].label = _("Supporter who must never be proposed to them")


class AnswerForm(AccessibleFormMixin, forms.Form):
    answer = forms.TypedChoiceField(
        label=_("Can you support this person?"),
        choices=[("yes", _("Yes, I can support them")), ("no", _("No, not this time"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("If not, why? (the coordinator reads this)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("answer") is False and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", _("Please say briefly why, so the coordinator can find someone else.")
            )
        return cleaned


class MatchingSettingsForm(AccessibleFormMixin, forms.Form):
    exclude_same_site = forms.BooleanField(
        label=_("Match people with someone from another site"),
        help_text=_("Health-care workers often want a colleague from another facility."),
        required=False,
    )
    proposal_response_hours = forms.IntegerField(
        label=_("Supporters answer a proposal within (hours)"), min_value=1, max_value=24 * 14
    )

    def __init__(self, *args: Any, settings: MatchingSettings, **kwargs: Any) -> None:
        initial = {
            "exclude_same_site": settings.exclude_same_site,
            "proposal_response_hours": settings.proposal_response_hours,
        }
        for criterion in CRITERIA:
            initial[f"weight_{criterion}"] = settings.weights.get(str(criterion), 0)
        super().__init__(*args, initial=initial, **kwargs)
        for criterion in CRITERIA:
            self.fields[f"weight_{criterion}"] = forms.IntegerField(
                label=criterion_label(criterion).capitalize(),
                help_text=_("Points, from 0 (ignore) to 100."),
                min_value=0,
                max_value=100,
                # Added after the mixin styled the form's own fields.
                widget=forms.NumberInput(attrs={"class": "form-control form-control-lg"}),
            )

    def weights(self) -> dict[str, float]:
        return {str(name): float(self.cleaned_data[f"weight_{name}"]) for name in CRITERIA}


class MatchSupporterForm(AccessibleFormMixin, forms.Form):
    """Match a supporter with one of their program's waiting requests, by hand."""

    request = PickerField(
        label=_("Waiting request"),
        help_text=_(
            "Type the person's whole first or last name, or the request's number, then choose."
        ),
        error_messages={"required": _("Search for a waiting request, then choose one.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="match", **kwargs)
