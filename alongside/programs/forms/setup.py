"""The sections of a program's settings, its sites and its first coordinator."""

import re
import zoneinfo
from typing import Any, Self

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.programs.forms.translations import TranslationsMixin, in_language_label
from alongside.programs.models import (
    ContactMethod,
    Experience,
    Language,
    Program,
    Site,
    SiteKind,
)
from alongside.programs.questions import ANSWERS, QUESTIONS, crisis_answer_texts

# ---- Setting a program up ----------------------------------------------------------------------

BOX = "form-control form-control-lg"
LANGUAGE_FIELD_HELP = _("The languages people can ask for support in.")
CONTACT_METHOD_HELP = _("The ways a supporter and the person they support can be in touch.")


def _time_zones() -> list[tuple[str, str]]:
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones()) if "/" in zone]


def _languages_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=LANGUAGE_FIELD_HELP,
    )


def _contact_methods_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Contact methods"),
        choices=ContactMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=CONTACT_METHOD_HELP,
    )


def _country_field() -> forms.CharField:
    return forms.CharField(
        label=_("Country (two letters)"),
        max_length=2,
        help_text=_("For the holiday calendar of business days: CA for Canada, US for the USA."),
    )


def _subdivision_field() -> forms.CharField:
    return forms.CharField(
        label=_("Province or state (optional)"),
        max_length=10,
        required=False,
        help_text=_("Its holidays count too, for example ON, QC, BC or MA."),
    )


def _time_zone_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Time zone"),
        choices=_time_zones,
        help_text=_("The program's days and business hours are counted in this zone."),
    )


class SettingsForm(TranslationsMixin, AccessibleFormMixin, forms.Form):
    """A section of a program's settings, filled in from the program, its texts in each of the
    program's languages side by side."""

    @classmethod
    def for_program(cls, program: Program, data: Any = None) -> Self:
        initial = {name: getattr(program, name) for name in cls.base_fields}
        form = cls(data, initial=initial)
        form.offer_languages(program.content_languages(), program)
        return form


class NewProgramForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    slug = forms.CharField(
        label=_("Web address name"),
        max_length=50,
        help_text=_(
            "Small letters, numbers and hyphens, for example ms-peer-support. It appears in "
            "the program's public addresses and cannot change later."
        ),
    )
    description = forms.CharField(
        label=_("Public description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the home page and the request form."),
    )
    country = _country_field()
    subdivision = _subdivision_field()
    time_zone = _time_zone_field()
    languages = _languages_field()
    contact_methods = _contact_methods_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).update(country="CA", time_zone="America/Toronto")
        super().__init__(*args, **kwargs)


class GeneralSettingsForm(SettingsForm):
    translated = ("name", "description")

    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Public description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the home page and the request form."),
    )
    experiences = forms.ModelMultipleChoiceField(
        label=_("Experiences served"),
        queryset=Experience.objects.filter(is_active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What people can ask for support with, and supporters have lived."),
    )
    accepts_public_requests = forms.BooleanField(
        label=_("Way in: the public request form, where people ask for support themselves"),
        required=False,
        help_text=_("The program takes requests only through the ways in that are ticked."),
    )
    accepts_phone_requests = forms.BooleanField(
        label=_("Way in: by phone, a coordinator takes the request during the call"), required=False
    )
    accepts_referrals = forms.BooleanField(
        label=_("Way in: referrals, clinical staff refer their clients"), required=False
    )
    recruits_supporters = forms.BooleanField(
        label=_("Recruit supporters: show “Volunteer with us” and open the application form"),
        required=False,
    )
    asks_work_role = forms.BooleanField(
        label=_("Ask for the person's role at work (for networks of health-care workers)"),
        required=False,
    )
    is_employer_blind = forms.BooleanField(
        label=_("Employer-blind: hide each request from the team at the person's own site"),
        required=False,
        help_text=_(
            "A manager or supervisor tied to a site never learns that someone at their site "
            "asked for support; only the program's central team, tied to no site, sees those "
            "requests. For networks where people ask for support about their employer."
        ),
    )
    contact_email = forms.EmailField(label=_("Program e-mail (optional)"), required=False)
    contact_phone = forms.CharField(
        label=_("Program phone (optional)"), max_length=40, required=False
    )

    @classmethod
    def for_program(cls, program: Program, data: Any = None) -> Self:
        form = super().for_program(program, data)
        form.initial["experiences"] = list(program.experiences.values_list("pk", flat=True))
        form.name_experiences(program)
        return form

    def name_experiences(self, program: Program) -> None:
        """A box for the name of each experience served in each of the program's languages
        it is not written in (shared: every program that serves it reads the name)."""
        self.experience_boxes: dict[str, tuple[Experience, str]] = {}
        fields = dict(self.fields)
        for experience in program.experiences.filter(is_active=True).order_by("name"):
            for language in program.content_languages():
                if language == experience.main_language:
                    continue
                written = experience.translation("name", language)
                box_name = f"experience_{experience.pk}_{language}"
                fields[box_name] = forms.CharField(
                    label=in_language_label(experience.name, language, missing=not written),
                    max_length=150,
                    required=False,
                    help_text=_("The name of an experience is shared by every program serving it."),
                    widget=forms.TextInput(attrs={"lang": language, "class": BOX}),
                )
                self.initial.setdefault(box_name, written)
                self.experience_boxes[box_name] = (experience, language)
        self.fields = fields

    def arguments(self) -> dict[str, Any]:
        arguments = super().arguments()
        names: dict[Experience, dict[str, str]] = {}
        for box_name, (experience, language) in getattr(self, "experience_boxes", {}).items():
            names.setdefault(experience, {})[language] = arguments.pop(box_name, "") or ""
        if names:
            arguments["experience_names"] = names
        return arguments


class LanguagesForm(SettingsForm):
    languages = _languages_field()
    contact_methods = _contact_methods_field()


class MonthListField(forms.CharField):
    """Whole months written as "1, 3, 6"; the service checks their order and range."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(month) for month in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = [part for part in re.split(r"[\s,;]+", text) if part]
        if not all(part.isdigit() for part in parts):
            raise forms.ValidationError(
                _("Write whole months separated by commas, for example 1, 3, 6.")
            )
        return [int(part) for part in parts]


class ScheduleForm(SettingsForm):
    time_zone = _time_zone_field()
    country = _country_field()
    subdivision = _subdivision_field()
    business_day_ends_at = forms.TimeField(
        label=_("The business day ends at"),
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("A request that arrives later counts from the next business day."),
    )
    sla_business_days = forms.IntegerField(
        label=_("Days to match (business days)"),
        help_text=_("We promise to contact each person within this many business days."),
    )
    match_length_weeks = forms.IntegerField(
        label=_("Match length in weeks (optional)"),
        required=False,
        help_text=_("Leave empty when matches end when their goals are met."),
    )
    is_goal_based = forms.BooleanField(
        label=_("Matches work toward goals agreed at the start"), required=False
    )
    checkin_months = MonthListField(
        label=_("Check-ins at months (optional)"),
        required=False,
        help_text=_("Planned check-ins with both sides, for example 1, 3, 6."),
    )
    supporter_commitment_months = forms.IntegerField(
        label=_("Supporter commitment (months)"),
        help_text=_("How long supporters agree to volunteer or work."),
    )
    expected_hours_min = forms.DecimalField(
        label=_("Expected hours a month, from"), max_digits=5, decimal_places=1
    )
    expected_hours_max = forms.DecimalField(
        label=_("Expected hours a month, to"), max_digits=5, decimal_places=1
    )


class SafetySettingsForm(SettingsForm):
    translated = ("crisis_message",)

    crisis_message = forms.CharField(
        label=_("Crisis lines"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown on the request form and to call-takers: where to turn right now in a "
            "crisis, for example “Call or text 9-8-8, any time. In an emergency, call 9-1-1.”"
        ),
    )
    acknowledge_within_minutes = forms.IntegerField(
        label=_("Urgent escalations must be acknowledged within (minutes)"),
        help_text=_("After this, the next person on call is alerted."),
    )

    @classmethod
    def for_program(cls, program: Program, data: Any = None) -> Self:
        form = super().for_program(program, data)
        form.word_questions(program)
        return form

    def word_questions(self, program: Program) -> None:
        """Each crisis question and answer as written (shown only), with a box beside it in
        each of the program's other languages."""
        main, others = program.main_language, program.content_languages()[1:]
        self.question_boxes: dict[str, tuple[str, str, str]] = {}
        self.beside_previous: set[str] = set()
        shown_only: list[str] = []
        fields = dict(self.fields)
        questions = [
            (QUESTIONS, question["key"], question["question"], _("Crisis question %(number)d"))
            for question in program.crisis_questions or []
        ]
        answers = [
            (ANSWERS, answer, answer, _("Answer %(number)d"))
            for answer in crisis_answer_texts(program)
        ]
        texts = [
            (group, key, text, label % {"number": number}, f"{group}_{number}")
            for words in (questions, answers)
            for number, (group, key, text, label) in enumerate(words, start=1)
        ]
        for group, key, text, title, name in texts if others else []:
            # Shown only (written on the program's questions), read-only so it stays readable.
            fields[name] = forms.CharField(
                label=in_language_label(title, main),
                initial=text,
                required=False,
                widget=forms.TextInput(attrs={"lang": main, "readonly": True, "class": BOX}),
            )
            shown_only.append(name)
            for language in others:
                written = program.phrases(group, key).get(language, "")
                box_name = f"{name}_{language}"
                fields[box_name] = forms.CharField(
                    label=in_language_label(title, language, missing=not written),
                    max_length=300,
                    required=False,
                    widget=forms.TextInput(attrs={"lang": language, "class": BOX}),
                )
                self.initial.setdefault(box_name, written)
                self.question_boxes[box_name] = (group, key, language)
                self.beside_previous.add(box_name)
        self.fields = fields
        self.shown_only = shown_only

    def arguments(self) -> dict[str, Any]:
        arguments = super().arguments()
        for name in getattr(self, "shown_only", []):
            arguments.pop(name, None)
        phrases: dict[str, dict[str, dict[str, str]]] = {}
        for box_name, (group, key, language) in getattr(self, "question_boxes", {}).items():
            text = arguments.pop(box_name, "") or ""
            phrases.setdefault(language, {}).setdefault(group, {})[key] = text
        if phrases:
            arguments["questions"] = phrases
        return arguments


class SiteForm(AccessibleFormMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    region = forms.CharField(label=_("Region (optional)"), max_length=100, required=False)

    @classmethod
    def for_site(cls, site: Site, data: Any = None) -> "SiteForm":
        return cls(data, initial={"name": site.name, "kind": site.kind, "region": site.region})
