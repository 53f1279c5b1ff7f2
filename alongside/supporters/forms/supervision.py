"""A supervision session, as a supervisor records it."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.core.forms import WITHIN_PLANNING_HORIZON, AccessibleFormMixin
from alongside.supporters.models import SupervisionFormat, Supporter
from alongside.supporters.queries import supervisor_roles_of


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
        validators=[WITHIN_PLANNING_HORIZON],
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


class SupervisorField(forms.ModelChoiceField[User]):
    """A choice among supervisors, each named with the sites they are tied to (`labels`)."""

    labels: dict[int, str] = {}  # each form sets its own copy's

    def label_from_instance(self, obj: User) -> str:
        return self.labels.get(obj.pk, obj.display_name)


class SupervisorForm(AccessibleFormMixin, forms.Form):
    """Whom a coordinator names as a supporter's supervisor: one of the program's supervisors,
    each shown with the sites they are tied to."""

    supervisor = SupervisorField(
        label=_("Their supervisor"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Any supervisor of the program"),
        help_text=_("A supervisor tied to sites can supervise only the supporters at those sites."),
    )

    def __init__(self, *args: Any, supporter: Supporter, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})["supervisor"] = supporter.supervisor_id
        super().__init__(*args, prefix="supervisor", **kwargs)
        labels = {
            role.user_id: _supervisor_label(role.user, [site.name for site in role.sites.all()])
            for role in supervisor_roles_of(supporter.program_id)
        }
        field = self.fields["supervisor"]
        assert isinstance(field, SupervisorField)
        field.labels = labels
        field.queryset = User.objects.filter(pk__in=list(labels)).order_by(
            Lower("first_name"), "email"
        )


def _supervisor_label(user: User, sites: list[str]) -> str:
    where = ", ".join(sites) if sites else _("whole program")
    return f"{user.get_full_name() or user.display_name} ({where})"
