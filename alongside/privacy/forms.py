from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.consent import GIVEN_TO_A_COORDINATOR
from alongside.core.forms import AccessibleFormMixin
from alongside.privacy.models import WithdrawnHow


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
