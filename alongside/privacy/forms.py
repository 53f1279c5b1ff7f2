from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin
from alongside.privacy.models import WithdrawnHow


class WithdrawalForm(AccessibleFormMixin, forms.Form):
    how = forms.ChoiceField(
        label=_("How did the person ask?"),
        choices=WithdrawnHow.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the person asked to withdraw their consent.")},
    )
