from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from alongside.core.consent import GIVEN_TO_A_COORDINATOR
from alongside.core.forms import AccessibleFormMixin
from alongside.privacy.models import (
    MAXIMUM_MONTHS,
    MINIMUM_MONTHS,
    BreakGlassOutcome,
    RetentionKind,
    WithdrawnHow,
)


class WithdrawalForm(AccessibleFormMixin, forms.Form):
    how = forms.ChoiceField(
        label=_("How did the person ask?"),
        choices=WithdrawnHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person asked to withdraw their consent.")},
    )


class RecordConsentForm(AccessibleFormMixin, forms.Form):
    how = forms.ChoiceField(
        label=_("How did the person give it?"),
        choices=[(how.value, how.label) for how in GIVEN_TO_A_COORDINATOR],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person gave their consent.")},
    )
    # The mark of the words the page showed: the service records them only if they still hold.
    words = forms.CharField(required=False)


def _between() -> str:
    return gettext("In months, from %(least)s to %(most)s.") % {
        "least": MINIMUM_MONTHS,
        "most": MAXIMUM_MONTHS,
    }


def _months(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=MINIMUM_MONTHS,
        max_value=MAXIMUM_MONTHS,
        help_text=lazy(_between, str)(),
        error_messages={
            "required": _("Say how many months to keep them."),
            "min_value": _("Keep them at least %(limit_value)s months."),
            "max_value": _("Keep them at most %(limit_value)s months."),
            "invalid": _("Write a whole number of months."),
        },
    )


class RetentionForm(AccessibleFormMixin, forms.Form):
    # Named for the policy's fields: a field named "matches" would hide the form's own
    # `matches()` from the page's scripts.
    requests_months = _months(RetentionKind.REQUESTS.label)
    matches_months = _months(RetentionKind.MATCHES.label)
    applications_months = _months(RetentionKind.APPLICATIONS.label)
    messages_months = _months(RetentionKind.MESSAGES.label)
    audit_events_months = _months(RetentionKind.AUDIT_EVENTS.label)

    def months(self) -> dict[str, int]:
        """The months of each kind, by kind."""
        return {kind: self.cleaned_data[f"{kind}_months"] for kind in RetentionKind.values}


class LegalHoldForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why must the records be kept?"),
        help_text=_("A complaint, a claim, a court order: say which, and its reference."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why the records must be kept.")},
    )


class LiftHoldForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the hold lifted?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Say why the hold is lifted.")},
    )


# Break-glass (issue 17, item 5): the reason for an emergency access, and its review.
class BreakGlassForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why must you see this record now?"),
        help_text=_("The program's privacy lead reads it. At least 20 characters."),
        min_length=20,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say why you must see this record."),
            "min_length": _("Say why you must see this record, in at least 20 characters."),
        },
    )


class BreakGlassReviewForm(AccessibleFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Was this access justified?"),
        choices=BreakGlassOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether this access was justified.")},
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
