import datetime as dt
from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from alongside.core.consent import GivenHow
from alongside.core.forms import AccessibleFormMixin, SubmittedOnceMixin, YearField
from alongside.intake.consent import ONLINE_SUPPORT
from alongside.intake.hooks import consent_questions
from alongside.programs.content import marked
from alongside.programs.models import ContactMethod, Gender, Language, Program, Relationship
from alongside.programs.questions import crisis_questions_in
from alongside.supporters.availability import DayPart

GENDERS = [(value, label) for value, label in Gender.choices if value]


class SupportRequestForm(AccessibleFormMixin, SubmittedOnceMixin, forms.Form):
    """The public request form: plain words, few questions, every one explained."""

    first_name = forms.CharField(
        label=_("What name should we use for you?"),
        max_length=100,
        help_text=_("Your first name, or any name you are comfortable with."),
    )
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = PhoneNumberField(
        label=_("Phone number"),
        required=False,
        region="CA",
        help_text=_("Give an e-mail address, a phone number, or both."),
    )
    contact_methods = forms.MultipleChoiceField(
        label=_("How may we contact you?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that suit you."),
    )
    language = forms.ChoiceField(label=_("Which language would you like to talk in?"))
    experience = forms.ChoiceField(
        label=_("What would you like support with?"), widget=forms.RadioSelect
    )
    relationship = forms.ChoiceField(
        label=_("How does it touch your life?"),
        choices=Relationship.choices,
        widget=forms.RadioSelect,
    )
    since_year = YearField(
        label=_("Since which year? (optional)"),
        required=False,
        help_text=_(
            "For example, the year of a diagnosis, or when you started caring for someone."
        ),
    )
    work_role = forms.CharField(
        label=_("What is your role at work?"),
        max_length=100,
        required=False,
        help_text=_("For example: nurse, physician, respiratory therapist, housekeeping."),
    )
    site = forms.ChoiceField(label=_("Where do you work?"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("When could you talk? (optional)"),
        choices=DayPart.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your own time. Leave all empty if any time suits you."),
    )
    gender = forms.ChoiceField(
        label=_("Your gender (optional)"),
        choices=[("", _("Prefer not to say")), *GENDERS],
        required=False,
    )
    birth_year = YearField(
        label=_("The year you were born (optional)"),
        required=False,
        help_text=_("It helps us find someone close to you in age, if that matters to you."),
    )
    wanted_gender = forms.ChoiceField(
        label=_("Would you like a supporter of a particular gender? (optional)"),
        choices=[("", _("No preference")), *GENDERS],
        required=False,
    )
    wanted_gender_is_firm = forms.BooleanField(
        label=_("Only a supporter of that gender, even if it means waiting longer"),
        required=False,
    )
    about = forms.CharField(
        label=_("What would you like to talk about? (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    preferences = forms.CharField(
        label=_("Is there anything about who you would like to talk to? (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    consent_label = ONLINE_SUPPORT.label
    consent_required = _("We need your agreement before we can help.")
    consent_asked = GivenHow.ONLINE_FORM

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["contact_methods"].choices = [  # type: ignore[attr-defined]
            choice for choice in ContactMethod.choices if choice[0] in program.contact_methods
        ]
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            choice for choice in Language.choices if choice[0] in program.languages
        ]
        # The language of the page they are reading, when the program offers it.
        spoken = get_language().split("-")[0]
        if spoken in program.languages:
            self.fields["language"].initial = spoken
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
        self.sites = {str(site.pk): site for site in program.sites.all()}
        self.fields["site"].choices = [("", _("Choose your workplace"))] + [  # type: ignore[attr-defined]
            (key, site.name) for key, site in self.sites.items()
        ]
        if program.asks_work_role:
            self.fields["work_role"].required = True
        else:
            del self.fields["work_role"]
            del self.fields["site"]
        self.crisis_questions = {
            f"crisis_{question['key']}": question for question in program.crisis_questions or []
        }
        # Asked in the reader's language; an answer is kept in the program's main language.
        for shown in crisis_questions_in(program):
            name = f"crisis_{shown.key}"
            self.fields[name] = forms.ChoiceField(
                label=marked(shown.question, note=True),
                choices=[(answer, marked(label)) for answer, label in shown.answers],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[name].widget.attrs["class"] = "form-check-input"
        # Other apps' questions (outcomes: surveys, when the program sends them), to tick or not.
        self.ask_also(consent_questions(program, self.consent_asked))

    @property
    def crisis_fields(self) -> list[forms.BoundField]:
        """The program's crisis screening questions, as fields of this form."""
        return [self[name] for name in self.crisis_questions]

    def crisis_answers(self) -> list[tuple[str, str]]:
        """(question, answer) for each answer that signals a crisis (after is_valid)."""
        return [
            (question["question"], self.cleaned_data[name])
            for name, question in self.crisis_questions.items()
            if self.cleaned_data.get(name) in question["crisis_answers"]
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            not cleaned.get("email")
            and not cleaned.get("phone")
            and not (self.has_error("email") or self.has_error("phone"))
        ):
            self.add_error("email", _("Please give an e-mail address or a phone number."))
        methods = set(cleaned.get("contact_methods", []))
        if (
            ContactMethod.EMAIL in methods
            and not cleaned.get("email")
            and not self.has_error("email")
        ):
            self.add_error("email", _("You chose e-mail: please give your e-mail address."))
        needs_phone = methods & {ContactMethod.PHONE, ContactMethod.TEXT}
        if needs_phone and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error("phone", _("You chose phone or text: please give your phone number."))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned answers, in the shape intake.services.submit_support_request takes."""
        data = self.cleaned_data
        year = data.get("since_year")
        phone = data.get("phone")
        return {
            "submission_token": data["submission_token"],
            "first_name": data["first_name"].strip(),
            "email": data.get("email", ""),
            "phone": phone.as_e164 if phone else "",
            "contact_methods": data["contact_methods"],
            "language": data["language"],
            "experience": self.experiences[data["experience"]],
            "relationship": data["relationship"],
            "experience_since": dt.date(year, 1, 1) if year else None,
            "work_role": data.get("work_role", ""),
            "site": self.sites.get(data.get("site") or ""),
            "about": data.get("about", ""),
            "preferences": data.get("preferences", ""),
            "gender": data.get("gender", ""),
            "birth_year": data.get("birth_year"),
            "wanted_gender": data.get("wanted_gender", ""),
            "wanted_gender_is_firm": bool(data.get("wanted_gender_is_firm")),
            "availability": data.get("availability", []),
            "consent": data["consent"],
            "also_agreed": self.also_agreed(),
        }
