"""A supporter whose address bounced: their page (notifications.providers.hooks)."""

from django.urls import reverse

from alongside.accounts.models import User
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


def supporter_page_of_account(
    program: Program, channel: str, address: str, user: User | None
) -> str:
    """The page of the program's supporter with this account."""
    if user is None:
        return ""
    found = Supporter.objects.filter(program=program, user=user).values_list("pk", flat=True)
    supporter_id = found.first()
    return reverse("supporters:detail", args=[supporter_id]) if supporter_id is not None else ""
