from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.matching.models import MatchingSettings
from alongside.matching.scoring import CRITERIA, criterion_label
from alongside.supporters.models import Supporter


class WhyNotForm(AccessibleFormMixin, forms.Form):
    supporter = forms.TypedChoiceField(label=_("Which supporter?"), coerce=int)

    def __init__(self, *args: Any, supporters: list[Supporter], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.only_about(supporters)

    def only_about(self, supporters: list[Supporter]) -> None:
        """The supporters offered in the list (and accepted when the form is checked)."""
        field = self.fields["supporter"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", str(_("Choose a supporter")))] + [
            (str(supporter.pk), supporter.display_name) for supporter in supporters
        ]


class ConflictForm(WhyNotForm):
    """A supporter the person must never be proposed to, and why."""

    reason = forms.CharField(
        label=_("Why (only coordinators see this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, supporters: list[Supporter], **kwargs: Any) -> None:
        super().__init__(*args, supporters=supporters, **kwargs)
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

    request = forms.TypedChoiceField(label=_("Waiting request"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, prefix="match", **kwargs)
        self.fields["request"].choices = choices  # type: ignore[attr-defined]
