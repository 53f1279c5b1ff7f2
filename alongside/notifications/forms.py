from typing import Any

from django import forms
from django.utils.translation import gettext as _

from alongside.core.forms import AccessibleFormMixin
from alongside.notifications.notify import MessageKind
from alongside.notifications.wording.texts import Wording, WordingError, check_wording


class WordingForm(AccessibleFormMixin, forms.Form):
    """A kind's wording in one language: checked as it will be sent (its placeholders, not empty).

    Prefixed with the language, so a page holds one for each of the program's languages.
    """

    subject = forms.CharField(max_length=200, required=False, strip=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 9}), required=False, strip=False)

    def __init__(
        self, *args: Any, kind: MessageKind, language: str, language_code: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if language_code:
            # The wording is in that language: screen readers and spelling checks follow it.
            for field in self.fields.values():
                field.widget.attrs["lang"] = language_code
        self.fields["subject"].label = _("Subject (%(language)s)") % {"language": language}
        self.fields["body"].label = _("Text (%(language)s)") % {"language": language}
        self.fields["body"].help_text = _(
            "Placeholders in double braces, like {{ recipient }}, are filled in for each message."
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        wording = Wording(cleaned.get("subject", ""), cleaned.get("body", "")).as_typed()
        try:
            check_wording(self.kind, wording)
        except WordingError as problems:
            for field, messages in problems.problems.items():
                for message in messages:
                    self.add_error(field, message)
        cleaned["subject"], cleaned["body"] = wording.subject, wording.body
        return cleaned

    @property
    def wording(self) -> Wording:
        return Wording(self.cleaned_data["subject"], self.cleaned_data["body"])
