"""The team's forms: adding someone to it, the sites a role is tied to, finding someone."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Membership, Role
from alongside.core.forms import AccessibleFormMixin
from alongside.programs.models import Program, Site


def _sites_field() -> forms.ModelMultipleChoiceField[Site]:
    return forms.ModelMultipleChoiceField(
        label=_("Sites (optional)"),
        queryset=Site.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "For a coordinator, a supervisor or an administrator: tie their role to the sites "
            "they work for. They then see only what those sites allow, and in an employer-blind "
            "program never a request from someone at them. Tick none for the whole program "
            "(the central team)."
        ),
    )


def offer_sites(form: forms.Form, program: Program) -> None:
    """A box per site of the program, none ticked: the whole program; no field without sites."""
    sites = Site.objects.filter(program=program).order_by("name")
    if sites.exists():
        field = form.fields["sites"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = sites
    else:
        del form.fields["sites"]


class CoordinatorForm(AccessibleFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("When nobody has an account with this address, one is opened."),
    )
    first_name = forms.CharField(
        label=_("First name (for a new account)"), max_length=150, required=False
    )
    role = forms.ChoiceField(
        label=_("Their role in the program"),
        choices=[
            (Role.COORDINATOR, _("Coordinator: runs the program day to day")),
            (Role.SUPERVISOR, _("Supervisor: supports the peer supporters")),
            (Role.REFERRER, _("Referrer: clinical staff who refer people")),
            (Role.ADMINISTRATOR, _("Administrator: also adds people to the team")),
            (Role.PRIVACY_LEAD, _("Privacy lead: reads the program's audit log")),
        ],
        initial=Role.COORDINATOR,
        required=False,
        widget=forms.RadioSelect,
    )
    sites = _sites_field()

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_sites(self, program)

    def clean_role(self) -> Role:
        return Role(self.cleaned_data.get("role") or Role.COORDINATOR)


class TeamRoleSitesForm(AccessibleFormMixin, forms.Form):
    """The sites one role on the team is tied to."""

    sites = _sites_field()

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["sites"] = list(membership.sites.all())
        super().__init__(*args, **kwargs)
        offer_sites(self, membership.program)


class TeamSearchForm(AccessibleFormMixin, forms.Form):
    q = forms.CharField(label=_("Find by name or e-mail"), required=False, max_length=150)
