from django import forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin


class EraseForm(AccessibleFormMixin, forms.Form):
    """The code the page shows, typed back: erasing is for good, so a slip never does it."""

    code = forms.CharField(
        label=_("Type the confirmation code shown above"),
        max_length=20,
        error_messages={"required": _("Type the confirmation code to erase this person.")},
    )

    def __init__(self, *args: object, expected: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).strip().upper()
        if code != self.expected:
            raise forms.ValidationError(
                _("That is not the confirmation code shown: nothing was erased.")
            )
        return code
