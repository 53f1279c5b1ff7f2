"""The public application and a coordinator's acceptance of one found not eligible."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from alongside.core.forms import (
    AccessibleFormMixin,
    SubmittedOnceMixin,
    month_year_fields,
    since_from,
)
from alongside.programs.configuration import (
    AnyOf,
    SelfAssessment,
    WorkRole,
    eligibility_rules_adapter,
)
from alongside.programs.content import marked
from alongside.programs.models import Program, Relationship
from alongside.programs.questions import statement_in
from alongside.supporters.consent import APPLICATION_CONSENT
from alongside.supporters.services.applications import ApplicantAnswers


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


class ApplicationForm(AccessibleFormMixin, SubmittedOnceMixin, forms.Form):
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
    since_month, since_year, since_day = month_year_fields(
        required=True,
        help_text=_("For example, the month of a diagnosis, or when you started caring."),
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
    consent_label = APPLICATION_CONSENT.label
    consent_required = _("We need your agreement to keep your application.")

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.experiences = {
            str(exp.pk): exp
            for exp in program.experiences.filter(is_active=True).order_by(
                F("allied_to").asc(nulls_first=True), "name"
            )
        }
        main_language = program.content_languages()[:1]
        self.fields["experience"].choices = [  # type: ignore[attr-defined]
            (key, marked(exp.in_language("name", fallbacks=main_language)))
            for key, exp in self.experiences.items()
        ]
        if not _asks_work_role(program):
            del self.fields["work_role"]
        self.statements = _self_assessments(program)
        for index, statement in enumerate(self.statements):
            self.fields[f"self_assessment_{index}"] = forms.BooleanField(
                label=marked(statement_in(program, statement), note=True),
                required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    @property
    def self_assessment_fields(self) -> list[forms.BoundField]:
        return [self[f"self_assessment_{index}"] for index in range(len(self.statements))]

    def clean_date_of_birth(self) -> dt.date:
        born: dt.date = self.cleaned_data["date_of_birth"]
        if born > timezone.localdate():
            raise forms.ValidationError(_("Please give a date in the past."))
        if born.year < 1900:
            raise forms.ValidationError(_("Please check the year."))
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["since"] = since_from(self, data)
        return data

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
            experience_since=data["since"],
            experience_details=data.get("experience_details", ""),
            work_role=data.get("work_role", ""),
            self_assessed=bool(self.statements)
            and all(data[f"self_assessment_{index}"] for index in range(len(self.statements))),
            language=get_language(),  # the language the form was read in
        )


class OverrideForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you accepting this application?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept with the application, for the record."),
    )
