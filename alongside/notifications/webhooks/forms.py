from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from alongside.core.errors import DomainError
from alongside.core.forms import AccessibleFormMixin
from alongside.notifications.webhooks.addresses import check_endpoint_url
from alongside.notifications.webhooks.events import event_choices


class EndpointForm(AccessibleFormMixin, forms.Form):
    """An endpoint's name, address and events; the address checked as the service checks it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system this is, such as the hospital's referral system."),
    )
    url = forms.CharField(
        label=_("Address (URL)"),
        max_length=500,
        help_text=_("The partner's address that receives the events. It starts with https://."),
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        widget=forms.CheckboxSelectMultiple,
        choices=event_choices,  # read when shown: the events the installed apps declare
        help_text=_(
            "Each event carries numbers only (the program's, the request's…), never a name."
        ),
        error_messages={"required": _("Choose at least one event.")},
    )
    is_active = forms.BooleanField(
        label=_("Active: send the events to this address"), required=False, initial=True
    )

    def clean_url(self) -> str:
        try:
            return check_endpoint_url(self.cleaned_data["url"])
        except DomainError as error:
            raise ValidationError(error.message) from error
