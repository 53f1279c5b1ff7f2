"""The request a coordinator takes during a call: the public form's questions, asked aloud."""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from alongside.core.consent import GivenHow
from alongside.core.forms import WITHIN_PLANNING_HORIZON
from alongside.intake.consent import PHONE_SUPPORT
from alongside.intake.forms.requests import SupportRequestForm
from alongside.intake.services import LATEST_CALL_ENTRY
from alongside.programs.models import Program

LOCAL_TIME_WIDGET = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}
LOCAL_TIME_FORMAT = "%Y-%m-%dT%H:%M"

# The public form's questions, reworded for the person taking the call.
CALL_TAKER_LABELS: dict[str, tuple[StrOrPromise, StrOrPromise]] = {
    "first_name": (_("Their name"), _("The name they would like us to use.")),
    "email": (_("Their e-mail address"), ""),
    "phone": (_("Their phone number"), _("Give a phone number, an e-mail address, or both.")),
    "contact_methods": (_("How may we contact them?"), _("Choose all that suit them.")),
    "language": (_("Which language would they like to talk in?"), ""),
    "experience": (_("What would they like support with?"), ""),
    "relationship": (_("How does it touch their life?"), ""),
    "work_role": (
        _("What is their role at work?"),
        _("For example: nurse, physician, respiratory therapist, housekeeping."),
    ),
    "site": (_("Where do they work?"), ""),
    "availability": (
        _("When could they talk? (optional)"),
        _("Their own time. Leave all empty if any time suits them."),
    ),
    "gender": (_("Their gender (optional)"), ""),
    "birth_year": (_("The year they were born (optional)"), ""),
    "wanted_gender": (_("Would they like a supporter of a particular gender? (optional)"), ""),
    "about": (_("What would they like to talk about? (optional)"), _("In their words.")),
    "preferences": (_("Anything about who they would like to talk to? (optional)"), ""),
}


def local_time_now(program: Program) -> str:
    """Now, as the call-time box shows it: the program's own clock, to the minute."""
    return timezone.now().astimezone(program.calendar.zone).strftime(LOCAL_TIME_FORMAT)


class PhoneRequestForm(SupportRequestForm):
    """Crisis screening first, then the questions in the order a caller answers them, then
    when to call back; the times are typed in the program's time zone."""

    consent_label = PHONE_SUPPORT.label
    consent_asked = GivenHow.PHONE
    consent_required = _(
        "Read them the consent, and tick this once they agree: we cannot take the request "
        "without it."
    )
    honeypot = False  # the call-taker is signed in

    best_times = forms.CharField(
        label=_("Best times to reach them (optional)"),
        max_length=200,
        required=False,
        help_text=_("In their words, for example: after 6 p.m., not on Tuesdays."),
    )
    call_back_at = forms.DateTimeField(
        label=_("Call them back at (optional)"),
        required=False,
        validators=[WITHIN_PLANNING_HORIZON],
        widget=forms.DateTimeInput(**LOCAL_TIME_WIDGET),  # type: ignore[arg-type]
    )
    call_started_at = forms.DateTimeField(
        label=_("The call started at"),
        widget=forms.DateTimeInput(**LOCAL_TIME_WIDGET),  # type: ignore[arg-type]
        error_messages={"required": _("Say when the call started.")},
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("call_started_at", local_time_now(program))
        super().__init__(*args, program=program, **kwargs)
        zone = program.calendar.zone.key
        for name, (label, help_text) in CALL_TAKER_LABELS.items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text
        self.fields["call_back_at"].help_text = _(
            "When they asked us to call back, on the program's clock (%(zone)s)."
        ) % {"zone": zone}
        self.fields["call_started_at"].help_text = _(
            "Filled in when you opened this page; change it if the call started earlier. "
            "The promise to match counts from it. On the program's clock (%(zone)s)."
        ) % {"zone": zone}
        for name in self.crisis_questions:
            # On a call, every screening question is asked, first.
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = _(
                "Ask this first, and choose their answer."
            )

    def full_clean(self) -> None:
        # The times typed here are on the program's clock, whatever the call-taker's own zone.
        with timezone.override(self.program.calendar.zone):
            super().full_clean()

    def clean_call_started_at(self) -> dt.datetime:
        started: dt.datetime = self.cleaned_data["call_started_at"]
        now = timezone.now()
        if started > now + dt.timedelta(minutes=1):
            raise forms.ValidationError(_("The call cannot start in the future."), "future")
        if started < now - LATEST_CALL_ENTRY:
            raise forms.ValidationError(
                _("Give a time in the last %(days)s days.") % {"days": LATEST_CALL_ENTRY.days},
                "too_early",
            )
        return min(started, now)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started = cleaned.get("call_started_at")
        call_back_at = cleaned.get("call_back_at")
        if started and call_back_at and call_back_at <= started:
            self.add_error("call_back_at", _("Give a time after the call started."))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned answers, in the shape intake.services.take_phone_request takes."""
        data = self.cleaned_data
        return {
            **super().service_arguments(),
            "call_started_at": data["call_started_at"],
            "call_back_at": data.get("call_back_at"),
            "best_times": data.get("best_times", "").strip(),
        }
