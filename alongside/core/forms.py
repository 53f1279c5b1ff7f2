import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.dates import MONTHS
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from alongside.core.consent import Agreement, Wording

_CHECKBOX_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


class AccessibleFormMixin:
    """Gives widgets Bootstrap classes and marks invalid fields for screen readers."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, _CHECKBOX_WIDGETS):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-lg"
            else:
                css = "form-control form-control-lg"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid"


class SubmittedOnceMixin:
    """What every form that takes someone's details with their consent shares (a request for
    support, by the person or on the phone, a referral, an application to volunteer):

    - `submission_token`, a hidden id new with each page: sent twice, it makes one record;
    - the consent box (`consent_field`, labelled `consent_label`), which must be ticked, else
      `consent_required` says why; other consent questions (`ask_also`), which may be left
      unticked, and what the person agreed to by ticking them (`also_agreed`);
    - unless `honeypot` is False (a signed-in page), `website`: a field people never see and
      bots fill in (`core/_public_form_guards.html` renders it and the token); see `is_bot`.

    List it after AccessibleFormMixin, which then styles the fields it adds.
    """

    fields: dict[str, forms.Field]
    data: Any
    consent_field = "consent"
    consent_label: StrOrPromise = ""
    consent_required: StrOrPromise = ""
    honeypot = True
    also_asked: tuple[Wording, ...] = ()
    cleaned_data: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.fields[self.consent_field] = forms.BooleanField(
            label=self.consent_label, error_messages={"required": self.consent_required}
        )
        self.fields["submission_token"] = forms.UUIDField(widget=forms.HiddenInput)
        if self.honeypot:
            self.fields["website"] = forms.CharField(
                required=False, label=gettext_lazy("Leave this empty")
            )

    def ask_also(self, wordings: list[Wording]) -> None:
        """Adds a box for each consent question, to tick or leave, after the main consent."""
        self.also_asked = tuple(wordings)
        for wording in wordings:
            self.fields[wording.field_name] = forms.BooleanField(
                label=wording.label,
                help_text=wording.help_text,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    @property
    def also_asked_fields(self) -> list[forms.BoundField]:
        return [self[wording.field_name] for wording in self.also_asked]  # type: ignore[index]

    def also_agreed(self) -> list[Agreement]:
        """What the person agreed to in the other consent questions, in the words shown."""
        return [
            wording.agreed() for wording in self.also_asked if self.cleaned_data[wording.field_name]
        ]

    @property
    def is_bot(self) -> bool:
        """Whether the hidden field was filled in: a bot, told "thank you" and ignored."""
        return self.honeypot and bool(self.data.get("website"))


def first_control_id(field: forms.BoundField) -> str:
    """The id of the control a link to `field` should land on: the field's own control, or the
    first choice of a group of radio buttons or checkboxes (the group itself has no id)."""
    if field.id_for_label:
        return str(field.id_for_label)
    for choice in field.subwidgets:
        if choice.id_for_label:
            return str(choice.id_for_label)
    return str(field.auto_id or "")


def time_zone_choices() -> list[tuple[str, str]]:
    """The world's time zones by name ("America/Toronto"), without the legacy aliases."""
    zones = sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/", "US/"))
    )
    return [("", str(_("Choose"))), *((zone, zone.replace("_", " ")) for zone in zones)]


def text_errors(*, required: StrOrPromise) -> dict[str, StrOrPromise]:
    """The messages of a text box sent on its own (a note, a comment): empty, or too long."""
    return {
        "required": required,
        "max_length": gettext_lazy(
            "Please keep it to %(limit_value)d characters or fewer (it has %(show_value)d)."
        ),
    }


def first_error(form: forms.Form) -> str:
    """The first message of a form that shows no fields of its own (its page says it aloud)."""
    return str(next(iter(form.errors.values()))[0])


EARLIEST_DATE = dt.date(1900, 1, 1)
# How far ahead a plan may reach (a match's end, a review, a follow-up, a shift): two years.
PLANNING_HORIZON = dt.timedelta(days=2 * 366)


class DateBounds:
    """A form validator keeping a date (or a date and time) between EARLIEST_DATE and `ahead`
    after today, so that 9999-12-31 or a review "in 2031" never reaches a service.

    `ahead=dt.timedelta(0)` (the default) means the date has already come.
    """

    def __init__(self, *, ahead: dt.timedelta = dt.timedelta(0)) -> None:
        self.ahead = ahead

    def __call__(self, value: dt.date) -> None:
        day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
        latest = timezone.localdate() + self.ahead
        if day > latest and not self.ahead:
            raise ValidationError(_("Please give a date that is not in the future."), "future")
        if day > latest:
            raise ValidationError(
                _("Please give a date no later than %(latest)s.")
                % {"latest": formats.date_format(latest, "DATE_FORMAT")},
                "too_late",
            )
        if day < EARLIEST_DATE:
            raise ValidationError(
                _("Please give a date from %(earliest)s on.")
                % {"earliest": formats.date_format(EARLIEST_DATE, "DATE_FORMAT")},
                "too_early",
            )


class YearField(forms.IntegerField):
    """A year from 1900 to this one: when someone was born, or when an experience began.

    This year is read when the answer is checked, not when the form class was made.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=EARLIEST_DATE.year, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and value > timezone.localdate().year:
            raise ValidationError(_("Please give a year that has already begun."), "future")


NOT_IN_FUTURE = DateBounds()
WITHIN_PLANNING_HORIZON = DateBounds(ahead=PLANNING_HORIZON)
# An expiry or a commitment may run for years, but not for ever.
WITHIN_TEN_YEARS = DateBounds(ahead=dt.timedelta(days=10 * 366))


def month_year_fields(
    *, required: bool, help_text: StrOrPromise = ""
) -> tuple[forms.TypedChoiceField, YearField, forms.IntegerField]:
    """Since when, as people remember it: a month and a year, the day optional.

    Declare them in a form as `since_month, since_year, since_day = month_year_fields(...)`
    and read the date with `since_from(form, cleaned_data)` in its clean().
    """
    optional = "" if required else gettext_lazy(" (optional)")
    month = forms.TypedChoiceField(
        label=format_lazy("{}{}", gettext_lazy("Since when? The month"), optional),
        choices=[("", gettext_lazy("Choose a month")), *MONTHS.items()],
        coerce=int,
        empty_value=None,
        required=required,
        help_text=help_text,
    )
    year = YearField(
        label=format_lazy("{}{}", gettext_lazy("Since when? The year"), optional),
        required=required,
    )
    day = forms.IntegerField(
        label=gettext_lazy("The day, if you know it (optional)"),
        required=False,
        min_value=1,
        max_value=31,
    )
    return month, year, day


def since_from(form: forms.Form, data: dict[str, Any], prefix: str = "since") -> dt.date | None:
    """The date the month, year and day fields give (the 1st when no day), or None when they
    are left empty; adds an error naming the field when one is missing or the date is wrong."""
    names = [f"{prefix}_{part}" for part in ("month", "year", "day")]
    if any(name in form.errors for name in names):
        return None  # already explained on its own field
    month, year, day = (data.get(name) for name in names)
    if not month and not year:
        if day:
            form.add_error(f"{prefix}_month", _("Please choose the month and the year too."))
        return None
    if not month:
        form.add_error(f"{prefix}_month", _("Please choose the month too."))
        return None
    if not year:
        form.add_error(f"{prefix}_year", _("Please give the year too."))
        return None
    try:
        since = dt.date(year, month, day or 1)
    except ValueError:
        form.add_error(f"{prefix}_day", _("That month has no such day."))
        return None
    if since > timezone.localdate():
        form.add_error(f"{prefix}_month", _("Please give a month that has already begun."))
        return None
    return since
