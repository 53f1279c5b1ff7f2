"""A supporter's profile: what they offer, their weekly free times, their experiences."""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import (
    WITHIN_PLANNING_HORIZON,
    WITHIN_TEN_YEARS,
    AccessibleFormMixin,
    first_control_id,
    month_year_fields,
    since_from,
    time_zone_choices,
)
from alongside.programs.models import (
    ContactMethod,
    Experience,
    Gender,
    Language,
    Relationship,
    Site,
)
from alongside.supporters.availability import WindowError, parse_windows
from alongside.supporters.models import Supporter

WINDOW_ROWS_MAX = 14
_HALF_HOURS = [dt.time(hour, minute) for hour in range(24) for minute in (0, 30)]
START_CHOICES = [("", _("Choose")), *((f"{t:%H:%M}", f"{t:%H:%M}") for t in _HALF_HOURS)]
END_CHOICES = [
    ("", _("Choose")),
    *((f"{t:%H:%M}", f"{t:%H:%M}") for t in _HALF_HOURS[1:]),
    ("00:00", _("Midnight")),
]
DAY_CHOICES = [("", _("Choose")), *((str(day), name) for day, name in WEEKDAYS.items())]
SUPPORTS_RELATIONSHIP_LABELS = {
    Relationship.SELF: _("People who live with it themselves"),
    Relationship.FAMILY: _("Family members and caregivers"),
    Relationship.COLLEAGUE: _("Colleagues who meet it in their work"),
}


# The labels speak to the supporter ("I"); a coordinator editing for them reads these instead.
STAFF_LABELS = {
    "languages": _("Languages they can support people in"),
    "contact_methods": _("Ways they can be in touch"),
    "time_zone": _("Their time zone"),
    "max_concurrent_matches": _("Most people they can support at once"),
    "expected_hours_per_month": _("Hours a month they expect to give (optional)"),
    "supports_genders": _("They would rather support people who are (optional)"),
    "supports_relationships": _("They would rather support (optional)"),
}


def _with_current(
    choices: type[models.TextChoices], offered: list[str], current: list[str]
) -> list[tuple[str, str]]:
    """The program's choices, plus any the supporter already has that it no longer offers."""
    wanted = set(offered) | set(current)
    return [(value, str(label)) for value, label in choices.choices if value in wanted]


@dataclass(frozen=True)
class SummaryField:
    control_id: str
    label: str
    errors: list[str]


@dataclass(frozen=True)
class ErrorSummary:
    """What core/_error_summary.html reads from a form, with the rows' fields named by row."""

    errors: bool
    non_field_errors: list[str]
    fields: list[SummaryField]

    def __iter__(self) -> Iterator[SummaryField]:
        return iter(self.fields)


class ProfileForm(AccessibleFormMixin, forms.Form):
    """A supporter's profile, edited by themself or their coordinator; validation only."""

    languages = forms.MultipleChoiceField(
        label=_("Languages I can support people in"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("Ways I can be in touch"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one way to be in touch.")},
    )
    region = forms.CharField(
        label=_("Region"),
        required=False,
        max_length=100,
        help_text=_("For example, a province, a city or a health region."),
    )
    time_zone = forms.ChoiceField(
        label=_("My time zone"), help_text=_("The free times below are in this time zone.")
    )
    max_concurrent_matches = forms.IntegerField(
        label=_("Most people I can support at once"), min_value=1, max_value=25
    )
    expected_hours_per_month = forms.DecimalField(
        label=_("Hours a month I expect to give (optional)"),
        required=False,
        min_value=0,
        max_value=200,
        decimal_places=1,
        max_digits=5,
    )
    supports_genders = forms.MultipleChoiceField(
        label=_("I would rather support people who are (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(value, label) for value, label in Gender.choices if value],
        help_text=_("Leave all unticked to support anyone."),
    )
    supports_relationships = forms.MultipleChoiceField(
        label=_("I would rather support (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=list(SUPPORTS_RELATIONSHIP_LABELS.items()),
        help_text=_("Leave all unticked to support anyone."),
    )
    away_until = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Taking a break? Away until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("No new matches until this day. Leave it empty when you are not away."),
    )
    commitment_starts_on = forms.DateField(
        validators=[WITHIN_PLANNING_HORIZON],
        label=_("Commitment starts"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    commitment_ends_on = forms.DateField(
        validators=[WITHIN_TEN_YEARS],
        label=_("Commitment ends"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty, it is filled in from the program's commitment length."),
    )
    work_role = forms.CharField(
        label=_("Role at work"),
        required=False,
        max_length=100,
        help_text=_("For example: nurse, physician."),
    )
    site = forms.ModelChoiceField(
        label=_("Site"), required=False, queryset=Site.objects.none(), empty_label=_("None")
    )

    def __init__(self, *args: Any, supporter: Supporter, as_staff: bool, **kwargs: Any) -> None:
        windows = supporter.availability or []
        kwargs.setdefault("initial", self._initial(supporter, windows))
        super().__init__(*args, **kwargs)
        self.supporter = supporter
        program = supporter.program
        if as_staff:
            for name, label in STAFF_LABELS.items():
                self.fields[name].label = label
        self._set_choices(
            "languages", _with_current(Language, program.languages, supporter.languages)
        )
        self._set_choices(
            "contact_methods",
            _with_current(ContactMethod, program.contact_methods, supporter.contact_methods),
        )
        self._set_choices("time_zone", time_zone_choices())
        self.fields["commitment_starts_on"].help_text = _(
            "The program asks for a commitment of %(months)d months."
        ) % {"months": program.supporter_commitment_months}
        self.fields["expected_hours_per_month"].help_text = _(
            "The program asks for %(low)s to %(high)s hours a month."
        ) % {"low": program.expected_hours_min, "high": program.expected_hours_max}
        sites = program.sites.all()
        if not as_staff:
            del self.fields["work_role"], self.fields["site"]
        else:
            if not program.asks_work_role and not supporter.work_role:
                del self.fields["work_role"]
            if sites.exists():
                self.fields["site"].queryset = sites  # type: ignore[attr-defined]
            else:
                del self.fields["site"]
        self.window_count = min(len(windows) + 2, WINDOW_ROWS_MAX)
        for row in range(self.window_count):
            number = {"number": row + 1}
            self.fields[f"window_{row}_day"] = forms.ChoiceField(
                label=_("Day"), required=False, choices=DAY_CHOICES
            )
            self.fields[f"window_{row}_start"] = forms.ChoiceField(
                label=_("From"), required=False, choices=START_CHOICES
            )
            self.fields[f"window_{row}_end"] = forms.ChoiceField(
                label=_("To"), required=False, choices=END_CHOICES
            )
            for part in ("day", "start", "end"):
                field = self.fields[f"window_{row}_{part}"]
                field.widget.attrs["class"] = "form-select form-select-lg"
                field.row_label = _("Free time %(number)d") % number  # type: ignore[attr-defined]

    @staticmethod
    def _initial(supporter: Supporter, windows: list[dict[str, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "languages": supporter.languages,
            "contact_methods": supporter.contact_methods,
            "region": supporter.region,
            "time_zone": supporter.time_zone or supporter.program.time_zone,
            "max_concurrent_matches": supporter.max_concurrent_matches,
            "expected_hours_per_month": supporter.expected_hours_per_month,
            "supports_genders": supporter.supports_genders,
            "supports_relationships": supporter.supports_relationships,
            "away_until": supporter.away_until,
            "commitment_starts_on": supporter.commitment_starts_on,
            "commitment_ends_on": supporter.commitment_ends_on,
            "work_role": supporter.work_role,
            "site": supporter.site_id,
        }
        for row, window in enumerate(windows[:WINDOW_ROWS_MAX]):
            initial[f"window_{row}_day"] = str(window["day"])
            initial[f"window_{row}_start"] = window["start"]
            initial[f"window_{row}_end"] = window["end"]
        return initial

    def _set_choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        self.fields[name].choices = choices  # type: ignore[attr-defined]

    @property
    def work_fields(self) -> list[forms.BoundField]:
        """Role and site, for the program's staff of a health-care network."""
        return [self[name] for name in ("work_role", "site") if name in self.fields]

    @property
    def window_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [
            (
                str(self.fields[f"window_{row}_day"].row_label),  # type: ignore[attr-defined]
                [self[f"window_{row}_{part}"] for part in ("day", "start", "end")],
            )
            for row in range(self.window_count)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        windows = []
        for row in range(self.window_count):
            parts = [data.get(f"window_{row}_{part}") or "" for part in ("day", "start", "end")]
            if not any(parts):
                continue
            where = _("Free time %(number)d") % {"number": row + 1}
            if not all(parts):
                self.add_error(
                    f"window_{row}_day",
                    _("%(where)s: choose a day, a start and an end, or leave all three empty.")
                    % {"where": where},
                )
                continue
            window = {"day": int(parts[0]), "start": parts[1], "end": parts[2]}
            try:
                parse_windows([window])
            except WindowError as error:
                self.add_error(f"window_{row}_end", f"{where}: {error}")
                continue
            windows.append(window)
        data["availability"] = windows
        starts, ends = data.get("commitment_starts_on"), data.get("commitment_ends_on")
        if starts and ends and ends <= starts:
            self.add_error("commitment_ends_on", _("The commitment must end after it starts."))
        away = data.get("away_until")
        if away and away < timezone.localdate() and away != self.supporter.away_until:
            self.add_error("away_until", _("Please give a day from today on, or leave it empty."))
        return data

    def changes(self) -> dict[str, Any]:
        """The profile's new values, by field name, for the service."""
        data = self.cleaned_data
        return {name: data[name] for name in self.fields if not name.startswith("window_")} | {
            "availability": data["availability"]
        }

    @property
    def summary(self) -> ErrorSummary:
        """The error summary, naming which free time a row's error is about."""
        fields = []
        for bound in self:
            if not bound.errors:
                continue
            label = str(bound.label)
            row_label = getattr(bound.field, "row_label", None)
            if row_label is not None:
                label = f"{row_label}, {label.lower()}"
            fields.append(
                SummaryField(first_control_id(bound), label, [str(e) for e in bound.errors])
            )
        return ErrorSummary(
            errors=bool(self.errors),
            non_field_errors=[str(error) for error in self.non_field_errors()],
            fields=fields,
        )


class LivedExperienceForm(AccessibleFormMixin, forms.Form):
    experience = forms.ModelChoiceField(
        label=_("Experience"), queryset=Experience.objects.none(), empty_label=_("Choose")
    )
    relationship = forms.ChoiceField(
        label=_("How it touched their life"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )
    since_month, since_year, since_day = month_year_fields(required=False)

    def __init__(self, *args: Any, supporter: Supporter, **kwargs: Any) -> None:
        super().__init__(*args, prefix="experience", **kwargs)
        self.fields["experience"].queryset = supporter.program.experiences.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["since"] = since_from(self, data)
        return data

    def since(self) -> dt.date | None:
        since: dt.date | None = self.cleaned_data.get("since")
        return since
