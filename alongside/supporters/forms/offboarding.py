"""A new status with its reason, and who takes over each open match."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import WITHIN_PLANNING_HORIZON, AccessibleFormMixin
from alongside.matches.models import Match
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.services.offboarding import HandOver

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
        candidates: list[Supporter],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.open_matches = open_matches
        self.candidates = {str(candidate.pk): candidate for candidate in candidates}
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in OFFBOARDING_CHOICES if value != supporter.status
        ]
        for match in open_matches:
            peer = match.request.peer.first_name
            self.fields[f"match_{match.pk}"] = forms.ChoiceField(
                label=_("Who takes over the match with %(peer)s (#%(number)s)?")
                % {"peer": peer, "number": match.pk},
                choices=[
                    ("", _("Choose")),
                    (
                        BACK_TO_THE_QUEUE,
                        _("Nobody yet: return %(peer)s to the waiting list") % {"peer": peer},
                    ),
                    *(
                        (
                            key,
                            _("%(name)s (%(open)s of %(places)s places taken)")
                            % {
                                "name": candidate.display_name,
                                "open": getattr(candidate, "open_match_count", 0),
                                "places": candidate.max_concurrent_matches,
                            },
                        )
                        for key, candidate in self.candidates.items()
                    ),
                ],
                error_messages={
                    "required": _("Choose who takes over, or return %(peer)s to the waiting list.")
                    % {"peer": peer}
                },
            )
            self.fields[f"match_{match.pk}"].widget.attrs["class"] = "form-select form-select-lg"

    @property
    def status_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("status", "away_until", "reason")]

    @property
    def match_fields(self) -> list[forms.BoundField]:
        return [self[f"match_{match.pk}"] for match in self.open_matches]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == SupporterStatus.ON_BREAK and not data.get("away_until"):
            self.add_error("away_until", _("Give the day the break ends."))
        return data

    def hand_overs(self) -> list[HandOver]:
        return [
            HandOver(
                match=match,
                to_supporter=self.candidates.get(self.cleaned_data[f"match_{match.pk}"]),
            )
            for match in self.open_matches
        ]
