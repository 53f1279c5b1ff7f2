"""What the write endpoints share: a page's form errors as a 422 problem, in the API's names."""

from collections.abc import Mapping

from django import forms
from django.utils.translation import gettext as _

from alongside.api.problems import FieldError, ProblemError


def form_problem(form: forms.BaseForm, names: Mapping[str, str]) -> ProblemError:
    """The page's form errors as one 422 problem; `names` maps a form field to the API's name
    (an error not tied to a field is named "")."""
    return ProblemError(
        422,
        _("Some values are not valid."),
        errors=[
            FieldError(
                field="" if name == "__all__" else names.get(name, name), message=str(message)
            )
            for name, messages in form.errors.items()
            for message in messages
        ],
    )
