"""A supporter's self-care check-in and their call for a debrief."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin


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
