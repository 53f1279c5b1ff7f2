import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from alongside.accounts.models import ROTA_ROLES, User
from alongside.core.forms import WITHIN_TEN_YEARS, AccessibleFormMixin, text_errors
from alongside.programs.models import Program
from alongside.safety.models import ShiftOrder, Urgency

DATETIME_WIDGET = {"attrs": {"type": "datetime-local"}, "format": "%Y-%m-%dT%H:%M"}


class EscalationForm(AccessibleFormMixin, forms.Form):
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        widget=forms.RadioSelect,
        help_text=_("If someone is in danger right now, call 9-1-1 first."),
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Only the program's coordinators can read it. It is stored encrypted."),
    )


class NoteForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Add a note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors(required=_("Write the note first.")),
    )


class ResolveForm(AccessibleFormMixin, forms.Form):
    outcome = forms.CharField(
        label=_("How was it resolved?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=text_errors(required=_("Say how it was resolved.")),
    )


class ShiftForm(AccessibleFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    user = forms.ModelChoiceField(label=_("Who"), queryset=User.objects.none())
    order = forms.TypedChoiceField(
        label=_("Role on the rota"),
        choices=ShiftOrder.choices,
        coerce=int,
        widget=forms.RadioSelect,
        initial=ShiftOrder.PRIMARY,
    )
    starts_at = forms.DateTimeField(
        validators=[WITHIN_TEN_YEARS],
        label=_("Starts"),
        widget=forms.DateTimeInput(**DATETIME_WIDGET),  # type: ignore[arg-type]
        help_text=_("In your time zone."),
    )
    ends_at = forms.DateTimeField(
        validators=[WITHIN_TEN_YEARS],
        label=_("Ends"),
        widget=forms.DateTimeInput(**DATETIME_WIDGET),  # type: ignore[arg-type]
        help_text=_("In your time zone."),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                memberships__program__in=programs,
                memberships__role__in=ROTA_ROLES,
                memberships__is_active=True,
                is_active=True,
            )
            .distinct()
            .order_by("preferred_name", "first_name", "email")
        )
        if programs.count() == 1:
            self.fields["program"].initial = programs.first()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_at: dt.datetime | None = cleaned.get("starts_at")
        ends_at: dt.datetime | None = cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("A shift must end after it starts."))
        return cleaned


class MobilePhoneForm(AccessibleFormMixin, forms.Form):
    mobile_phone = PhoneNumberField(
        label=_("Mobile phone for urgent texts"),
        required=False,
        region="CA",
        help_text=_("Leave empty to get urgent alerts in the app and by e-mail only."),
    )
