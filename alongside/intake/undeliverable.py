"""A peer whose address bounced: their latest request's page (notifications.providers.hooks)."""

from django.urls import reverse

from alongside.accounts.models import User
from alongside.core.blind_index import matches
from alongside.intake.models import Peer, SupportRequest
from alongside.programs.models import Program


def request_page_of_address(program: Program, channel: str, address: str, user: User | None) -> str:
    """The page of the latest request of the program's peer with this e-mail or phone."""
    source = "phone" if channel == "sms" else "email"
    peers = Peer.objects.filter(matches(Peer, source, address), program=program)
    latest = (
        SupportRequest.objects.filter(peer__in=peers.values("pk"), program=program)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("intake:request_detail", args=[latest]) if latest is not None else ""
