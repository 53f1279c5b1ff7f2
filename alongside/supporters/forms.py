import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from alongside.core.forms import AccessibleFormMixin
from alongside.matches.models import Match
from alongside.programs.configuration import (
    AnyOf,
    SelfAssessment,
    WorkRole,
    eligibility_rules_adapter,
)
from alongside.programs.models import (
    ContactMethod,
    Experience,
    Gender,
    Language,
    Program,
    Relationship,
    Site,
)
from alongside.supporters.availability import WindowError, parse_windows
from alongside.supporters.models import (
    CheckKind,
    CheckStatus,
    PipelineStep,
    StepKind,
    StepOutcome,
    SupervisionFormat,
    Supporter,
    SupporterStatus,
    TrainingModule,
)
from alongside.supporters.services.applications import ApplicantAnswers
from alongside.supporters.services.offboarding import HandOver


def _self_assessments(program: Program) -> list[str]:
    statements = []
    for rule in eligibility_rules_adapter.validate_python(program.eligibility_rules):
        inner = rule.rules if isinstance(rule, AnyOf) else [rule]
        statements += [item.statement for item in inner if isinstance(item, SelfAssessment)]
    return statements


def _asks_work_role(program: Program) -> bool:
    rules = eligibility_rules_adapter.validate_python(program.eligibility_rules)
    flat = [
        inner for rule in rules for inner in (rule.rules if isinstance(rule, AnyOf) else [rule])
    ]
    return program.asks_work_role or any(isinstance(rule, WorkRole) for rule in flat)


class ApplicationForm(AccessibleFormMixin, forms.Form):
    """The public supporter application: a few plain questions, each explained."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail address"))
    phone = PhoneNumberField(label=_("Phone number (optional)"), required=False, region="CA")
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("We ask to check the program's age rule; only coordinators see it."),
    )
    experience = forms.ChoiceField(
        label=_("Which experience would you support others with?"), widget=forms.RadioSelect
    )
    relationship = forms.ChoiceField(
        label=_("How has it touched your life?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )
    since_year = forms.IntegerField(
        label=_("Since which year?"),
        min_value=1900,
        help_text=_("For example, the year of a diagnosis, or when you started caring."),
    )
    work_role = forms.CharField(
        label=_("What is your role at work?"),
        max_length=100,
        help_text=_("For example: nurse, physician, respiratory therapist."),
    )
    experience_details = forms.CharField(
        label=_("Tell us a little about your experience (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the program may keep what I wrote here to consider my application. "
            "Only its coordinators will see it."
        ),
        error_messages={"required": _("We need your agreement to keep your application.")},
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.program = program
        self.experiences = {
            str(exp.pk): exp
            for exp in program.experiences.filter(is_active=True).order_by(
                F("allied_to").asc(nulls_first=True), "name"
            )
        }
        self.fields["experience"].choices = [  # type: ignore[attr-defined]
            (key, exp.name) for key, exp in self.experiences.items()
        ]
        if not _asks_work_role(program):
            del self.fields["work_role"]
        self.statements = _self_assessments(program)
        for index, statement in enumerate(self.statements):
            self.fields[f"self_assessment_{index}"] = forms.BooleanField(
                label=statement,
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
        self.fields["since_year"].max_value = timezone.localdate().year  # type: ignore[attr-defined]

    @property
    def self_assessment_fields(self) -> list[forms.BoundField]:
        return [self[f"self_assessment_{index}"] for index in range(len(self.statements))]

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("Please give a date in the past."))
        if born.year < 1900:
            raise forms.ValidationError(_("Please check the year."))
        return born

    def clean_since_year(self) -> int:
        year: int = self.cleaned_data["since_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("Please give a year that has already begun."))
        return year

    def answers(self) -> ApplicantAnswers:
        data = self.cleaned_data
        phone = data.get("phone")
        return ApplicantAnswers(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            phone=phone.as_e164 if phone else "",
            date_of_birth=data["date_of_birth"],
            experience=self.experiences[data["experience"]],
            relationship=data["relationship"],
            experience_since=dt.date(data["since_year"], 1, 1),
            experience_details=data.get("experience_details", ""),
            work_role=data.get("work_role", ""),
            self_assessed=bool(self.statements)
            and all(data[f"self_assessment_{index}"] for index in range(len(self.statements))),
        )


class OverrideForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you accepting this application?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the application, for the record."),
    )


class StepForm(AccessibleFormMixin, forms.Form):
    step = forms.ModelChoiceField(label=_("Step"), queryset=PipelineStep.objects.none())
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=StepOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, prefix="step", **kwargs)
        self.fields["step"].queryset = program.pipeline_steps.exclude(  # type: ignore[attr-defined]
            kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING]
        )


class BackgroundCheckForm(AccessibleFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of check"), choices=CheckKind.choices)
    status = forms.ChoiceField(
        label=_("Status"), choices=CheckStatus.choices, widget=forms.RadioSelect
    )
    requested_on = forms.DateField(
        label=_("Requested on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    cleared_on = forms.DateField(
        label=_("Cleared on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="check", **kwargs)


class TrainingForm(AccessibleFormMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Training"), queryset=TrainingModule.objects.none())
    completed_on = forms.DateField(
        label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, prefix="training", **kwargs)
        self.fields["module"].queryset = program.training_modules.all()  # type: ignore[attr-defined]


class MatchForm(AccessibleFormMixin, forms.Form):
    request = forms.TypedChoiceField(label=_("Waiting request"), coerce=int)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, prefix="match", **kwargs)
        self.fields["request"].choices = choices  # type: ignore[attr-defined]


class ImportForm(AccessibleFormMixin, forms.Form):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        help_text=_(
            "First line: column names. Needed: email, first_name. Optional: last_name, status, "
            "languages (en;fr), experience (its code), relationship, since_year, work_role, "
            "region."
        ),
    )

    def __init__(self, *args: Any, programs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs  # type: ignore[attr-defined]


class WellbeingForm(AccessibleFormMixin, forms.Form):
    score = forms.TypedChoiceField(
        label=_("How are you doing, looking after yourself as a supporter?"),
        choices=[
            (5, _("5 — very well")),
            (4, _("4 — well")),
            (3, _("3 — all right")),
            (2, _("2 — it is getting hard")),
            (1, _("1 — I am struggling")),
        ],
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything you would like your coordinator to know? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)


class DebriefForm(AccessibleFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What happened, briefly? (optional)"),
        help_text=_("Your supervisor will contact you. Leave out the person's name."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, prefix: str, **kwargs: Any) -> None:
        super().__init__(*args, prefix=prefix, **kwargs)


# ---- The profile ----------------------------------------------------------------------------

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


def time_zone_choices() -> list[tuple[str, str]]:
    """The world's time zones by name ("America/Toronto"), without the legacy aliases."""
    zones = sorted(
        zone
        for zone in zoneinfo.available_timezones()
        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "posix/", "right/", "US/"))
    )
    return [("", str(_("Choose"))), *((zone, zone.replace("_", " ")) for zone in zones)]


def _with_current(
    choices: type[models.TextChoices], offered: list[str], current: list[str]
) -> list[tuple[str, str]]:
    """The program's choices, plus any the supporter already has that it no longer offers."""
    wanted = set(offered) | set(current)
    return [(value, str(label)) for value, label in choices.choices if value in wanted]


@dataclass(frozen=True)
class SummaryField:
    auto_id: str
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
        label=_("Taking a break? Away until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("No new matches until this day. Leave it empty when you are not away."),
    )
    commitment_starts_on = forms.DateField(
        label=_("Commitment starts"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    commitment_ends_on = forms.DateField(
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
            fields.append(SummaryField(bound.auto_id or "", label, [str(e) for e in bound.errors]))
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
    since_year = forms.IntegerField(
        label=_("Since which year? (optional)"), required=False, min_value=1900
    )

    def __init__(self, *args: Any, supporter: Supporter, **kwargs: Any) -> None:
        super().__init__(*args, prefix="experience", **kwargs)
        self.fields["experience"].queryset = supporter.program.experiences.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        self.fields["since_year"].max_value = timezone.localdate().year  # type: ignore[attr-defined]

    def clean_since_year(self) -> int | None:
        year: int | None = self.cleaned_data["since_year"]
        if year is not None and year > timezone.localdate().year:
            raise forms.ValidationError(_("Please give a year that has already begun."))
        return year

    def since(self) -> dt.date | None:
        year = self.cleaned_data.get("since_year")
        return dt.date(year, 1, 1) if year else None


# ---- Offboarding ----------------------------------------------------------------------------

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


# ---- Supervision ----------------------------------------------------------------------------


class SupervisionForm(AccessibleFormMixin, forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=480)
    format = forms.ChoiceField(
        label=_("Format"),
        choices=SupervisionFormat.choices,
        initial=SupervisionFormat.ONE_TO_ONE,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Notes (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only supervisors and coordinators read these. The supporter does not."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow up by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The supporter sees this date as their next supervision."),
    )
    answers_debriefs = forms.BooleanField(
        label=_("This session answers their open debrief requests"), required=False
    )

    def __init__(self, *args: Any, has_open_debriefs: bool, **kwargs: Any) -> None:
        super().__init__(*args, prefix="session", **kwargs)
        if not has_open_debriefs:
            del self.fields["answers_debriefs"]

    def clean_held_on(self) -> dt.date:
        held_on: dt.date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("Please give a day that has already come."))
        return held_on
