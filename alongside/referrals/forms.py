from typing import Any

from django import forms
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from alongside.core.consent import GivenHow
from alongside.core.forms import AccessibleFormMixin, SubmittedOnceMixin
from alongside.intake.consent import REFERRAL_SUPPORT, REFERRER_MAY_KNOW_WHO, SUMMARY_TO_REFERRER
from alongside.intake.hooks import consent_questions
from alongside.intake.referrals import ClientConsent
from alongside.programs.models import ContactMethod, Language, Program

GOAL_FIELDS = ("goal_1", "goal_2", "goal_3")


class ReferralForm(AccessibleFormMixin, SubmittedOnceMixin, forms.Form):
    """A referral, in the order a clinician has the answers: who, how to reach them, what they
    would like to work on, where they are seen, and what the client agreed to."""

    first_name = forms.CharField(label=_("Client's first name"), max_length=100)
    last_name = forms.CharField(label=_("Last name (optional)"), max_length=100, required=False)
    preferred_name = forms.CharField(
        label=_("Name they like to be called (optional)"), max_length=100, required=False
    )
    language = forms.ChoiceField(label=_("Language they would like to talk in"))
    contact_methods = forms.MultipleChoiceField(
        label=_("How may the program contact them?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose all that suit them; the first is the one they prefer."),
    )
    phone = PhoneNumberField(label=_("Phone number"), required=False, region="CA")
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Give a phone number, an e-mail address, or both."),
    )
    best_times = forms.CharField(
        label=_("Best times to reach them (optional)"),
        required=False,
        max_length=300,
        help_text=_("For example: weekday mornings, not Tuesdays."),
    )
    experience = forms.ChoiceField(
        label=_("What would they like support with?"), widget=forms.RadioSelect
    )
    goal_1 = forms.CharField(
        label=_("First goal"),
        max_length=200,
        help_text=_("A short goal in the client's words, such as: find a drop-in group nearby."),
    )
    goal_2 = forms.CharField(label=_("Second goal (optional)"), max_length=200, required=False)
    goal_3 = forms.CharField(label=_("Third goal (optional)"), max_length=200, required=False)
    site = forms.ChoiceField(label=_("Your team or site"))
    referrer_may_know_who = forms.BooleanField(label=REFERRER_MAY_KNOW_WHO.label, required=False)
    summary_to_referrer = forms.BooleanField(label=SUMMARY_TO_REFERRER.label, required=False)
    consent_field = "consent_to_share"
    consent_label = REFERRAL_SUPPORT.label
    consent_required = _("We can only take a referral with the client's consent.")
    honeypot = False  # the referrer is signed in

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["language"].choices = [  # type: ignore[attr-defined]
            choice for choice in Language.choices if choice[0] in program.languages
        ]
        self.fields["contact_methods"].choices = [  # type: ignore[attr-defined]
            choice for choice in ContactMethod.choices if choice[0] in program.contact_methods
        ]
        self.experiences = {
            str(experience.pk): experience
            for experience in program.experiences.filter(is_active=True).order_by(
                F("allied_to").asc(nulls_first=True), "name"
            )
        }
        self.fields["experience"].choices = [  # type: ignore[attr-defined]
            (key, experience.name) for key, experience in self.experiences.items()
        ]
        self.sites = {str(site.pk): site for site in program.sites.order_by("name")}
        self.fields["site"].choices = [("", _("Choose your team or site"))] + [  # type: ignore[attr-defined]
            (key, site.name) for key, site in self.sites.items()
        ]
        if not self.experiences:
            del self.fields["experience"]
        if not self.sites:
            del self.fields["site"]
        # Other apps' questions (outcomes: surveys, when the program sends them), to tick or not.
        self.ask_also(consent_questions(program, GivenHow.REFERRER))

    @property
    def goal_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in GOAL_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        methods = set(cleaned.get("contact_methods", []))
        if not (cleaned.get("phone") or cleaned.get("email")) and not (
            self.has_error("phone") or self.has_error("email")
        ):
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        needs_phone = methods & {ContactMethod.PHONE, ContactMethod.TEXT}
        if needs_phone and not cleaned.get("phone") and not self.has_error("phone"):
            self.add_error("phone", _("You chose phone or text: give their phone number."))
        wants_email = ContactMethod.EMAIL in methods
        if wants_email and not cleaned.get("email") and not self.has_error("email"):
            self.add_error("email", _("You chose e-mail: give their e-mail address."))
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The answers, in the shape intake.referrals.refer_client takes."""
        data = self.cleaned_data
        phone = data.get("phone")
        return {
            "submission_token": data["submission_token"],
            "first_name": data["first_name"],
            "last_name": data.get("last_name", ""),
            "preferred_name": data.get("preferred_name", ""),
            "language": data["language"],
            "contact_methods": data["contact_methods"],
            "phone": phone.as_e164 if phone else "",
            "email": data.get("email", ""),
            "best_times": data.get("best_times", ""),
            "goals": [data.get(name, "") for name in GOAL_FIELDS],
            "site": self.sites.get(data.get("site") or ""),
            "experience": self.experiences.get(data.get("experience") or ""),
            "consent": ClientConsent(
                to_share=data["consent_to_share"],
                referrer_may_know_who=bool(data.get("referrer_may_know_who")),
                summary_to_referrer=bool(data.get("summary_to_referrer")),
            ),
            "also_agreed": self.also_agreed(),
        }
