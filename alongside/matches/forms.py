from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import WITHIN_PLANNING_HORIZON, AccessibleFormMixin, text_errors
from alongside.core.pickers import PickerField, Source, set_picker
from alongside.matches.models import CheckInMethod, ClosureReason, GoalStatus, Match, SupportType
from alongside.matches.services.offboarding import HandOver
from alongside.programs.models import ContactMethod
from alongside.resources.models import Resource
from alongside.supporters.models import CHOSEN_WITHDRAWAL_REASONS, Supporter, SupporterStatus

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
    resources = forms.ModelMultipleChoiceField(
        label=_("Resources you shared (optional)"),
        queryset=Resource.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    follow_up_on = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Follow up on (optional)"),
        required=False,
        widget=DATE_INPUT,
    )
    follow_up_what = forms.CharField(
        label=_("What to follow up (optional)"), required=False, max_length=500
    )
    needs_coordinator = forms.BooleanField(label=_("This needs the coordinator"), required=False)
    is_urgent = forms.BooleanField(
        label=_("It is urgent: someone may be at risk now"), required=False
    )
    what_happened = forms.CharField(
        label=_("What should the coordinator know?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, match: Match, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault(
            "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
        )
        kwargs["initial"].setdefault("method", match.request.preferred_contact_method)
        super().__init__(*args, **kwargs)
        self.match = match
        resources = self.fields["resources"]
        assert isinstance(resources, forms.ModelMultipleChoiceField)
        resources.queryset = Resource.objects.filter(program_id=match.program_id, is_active=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("was_made") and cleaned.get("minutes") == 0:
            self.add_error("minutes", _("If you talked, please give how many minutes it lasted."))
        if cleaned.get("was_made") and not cleaned.get("support_types"):
            self.add_error("support_types", _("Choose at least one kind of support you gave."))
        if cleaned.get("needs_coordinator") and not (cleaned.get("what_happened") or "").strip():
            self.add_error(
                "what_happened", _("Tell the coordinator what happened, in a few words.")
            )
        if cleaned.get("is_urgent") and not cleaned.get("needs_coordinator"):
            self.add_error(
                "needs_coordinator", _("Tick this too, so the coordinator is told at once.")
            )
        cleaned["resources"] = list(cleaned.get("resources") or [])
        return cleaned


class StartMatchForm(forms.Form):
    """The supporter chosen on a request's shortlist (to match with, or to ask)."""

    supporter = forms.IntegerField(widget=forms.HiddenInput)

    def chosen_in(self, program_id: int) -> Supporter | None:
        """The chosen supporter when they belong to the program; None for anything else."""
        if not self.is_valid():
            return None
        return Supporter.objects.filter(
            program_id=program_id, pk=self.cleaned_data["supporter"]
        ).first()


class CommentForm(AccessibleFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=text_errors(required=_("Write a comment first.")),
    )


class CheckInForm(AccessibleFormMixin, forms.Form):
    method = forms.ChoiceField(
        label=_("How did it take place?"), choices=CheckInMethod.choices, widget=forms.RadioSelect
    )
    with_peer = forms.BooleanField(label=_("We heard from the person"), required=False)
    with_supporter = forms.BooleanField(label=_("We heard from the supporter"), required=False)
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not (cleaned.get("with_peer") or cleaned.get("with_supporter")):
            self.add_error("with_peer", _("Tick who you heard from."))
        return cleaned


class CloseMatchForm(AccessibleFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is the match closing?"),
        choices=ClosureReason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Closing note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    checkin_method = forms.ChoiceField(
        label=_("How did the closure check-in take place?"),
        choices=CheckInMethod.choices,
        widget=forms.RadioSelect,
    )
    heard_from_peer = forms.BooleanField(label=_("We heard from the person"), required=False)
    heard_from_supporter = forms.BooleanField(
        label=_("We heard from the supporter"), required=False
    )
    checkin_notes = forms.CharField(
        label=_("What each side said (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    summary_to_referrer_consented = forms.BooleanField(
        label=_("The person agreed that we send a short summary to whoever referred them"),
        required=False,
    )


class PauseForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why pause? (optional)"), required=False, max_length=200)


class ExtendForm(AccessibleFormMixin, forms.Form):
    until = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON], label=_("New planned end"), widget=DATE_INPUT
    )


class GoalForm(AccessibleFormMixin, forms.Form):
    description = forms.CharField(
        label=_("The goal, in the person's words"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    review_on = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Review on (optional)"),
        required=False,
        widget=DATE_INPUT,
    )


class GoalProgressForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Progress note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    status = forms.ChoiceField(
        label=_("Where does it stand?"), choices=GoalStatus.choices, widget=forms.RadioSelect
    )
    review_on = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Review on (optional)"),
        required=False,
        widget=DATE_INPUT,
    )


class HoursReportForm(AccessibleFormMixin, forms.Form):
    hours = forms.DecimalField(
        label=_("Hours this month"), min_value=0, max_value=300, decimal_places=1
    )
    contacts = forms.IntegerField(label=_("Conversations this month"), min_value=0, max_value=500)
    anything_to_know = forms.CharField(
        label=_("Anything the coordinator should know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# ---- offboarding a supporter: a new status, and who takes over each open match ----------------

BACK_TO_THE_QUEUE = "waiting"
OFFBOARDING_CHOICES = [
    (SupporterStatus.ON_BREAK, _("On a break: back on a day you choose")),
    (SupporterStatus.ALUMNI, _("Alumni: finished their time as a supporter")),
    (SupporterStatus.WITHDRAWN, _("Withdrawn: left before the end of their commitment")),
]


class OffboardForm(AccessibleFormMixin, forms.Form):
    """A new status with its reason, and who takes over each open match; validation only."""

    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    away_until = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Away until (for a break)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    withdrawal_reason = forms.ChoiceField(
        label=_("The main reason they withdrew (for a withdrawal)"),
        choices=[(reason.value, reason.label) for reason in CHOSEN_WITHDRAWAL_REASONS],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Counted in the program's reports; say more below."),
    )
    reason = forms.CharField(
        label=_("Why?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on their record for coordinators."),
        error_messages={"required": _("Please say why, for the record.")},
    )
    note = forms.CharField(
        label=_("A note on the handed-over matches (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept with each match that ends, for whoever picks it up."),
    )

    def __init__(
        self,
        *args: Any,
        supporter: Supporter,
        open_matches: list[Match],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.open_matches = open_matches
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in OFFBOARDING_CHOICES if value != supporter.status
        ]
        for match in open_matches:
            peer = match.request.peer.first_name
            self.fields[f"match_{match.pk}"] = PickerField(
                label=_("Who takes over the match with %(peer)s (#%(number)s)?")
                % {"peer": peer, "number": match.pk},
                help_text=_("Search for a supporter by name, or return the person to the list."),
                fixed=[
                    (
                        BACK_TO_THE_QUEUE,
                        _("Nobody yet: return %(peer)s to the waiting list") % {"peer": peer},
                    )
                ],
                error_messages={
                    "required": _("Choose who takes over, or return %(peer)s to the waiting list.")
                    % {"peer": peer}
                },
            )

    def find_supporters(self, source: Source[Supporter], *, search_url: str, searched: Any) -> None:
        """Each match's picker searches `source`; the search boxes belong to the page's GET form
        "offboard-search", so a search without JavaScript keeps every box's text."""
        for match in self.open_matches:
            set_picker(
                self,
                f"match_{match.pk}",
                source=source,
                search_url=search_url,
                searched=searched,
                search_form="offboard-search",
            )

    @property
    def status_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("status", "away_until", "withdrawal_reason", "reason")]

    @property
    def match_fields(self) -> list[forms.BoundField]:
        return [self[f"match_{match.pk}"] for match in self.open_matches]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == SupporterStatus.ON_BREAK and not data.get("away_until"):
            self.add_error("away_until", _("Give the day the break ends."))
        if data.get("status") == SupporterStatus.WITHDRAWN and not data.get("withdrawal_reason"):
            self.add_error("withdrawal_reason", _("Choose the main reason they withdrew."))
        return data

    def hand_overs(self) -> list[HandOver]:
        chosen = [self.cleaned_data[f"match_{match.pk}"] for match in self.open_matches]
        return [
            HandOver(match=match, to_supporter=to if isinstance(to, Supporter) else None)
            for match, to in zip(self.open_matches, chosen, strict=True)
        ]
