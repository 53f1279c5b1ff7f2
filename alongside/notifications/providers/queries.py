"""Reads of undeliverable addresses: before each send, and for the coordinators' page."""

from django.db.models import QuerySet

from alongside.accounts.models import Role, User
from alongside.core.blind_index import matches
from alongside.notifications.models import OutboxMessage, UndeliverableAddress
from alongside.programs.queries import program_ids_for

STAFF = (Role.COORDINATOR, Role.ADMINISTRATOR)


def standing_marks() -> QuerySet[UndeliverableAddress]:
    return UndeliverableAddress.objects.filter(cleared_at__isnull=True)


def standing_mark_for(address: str) -> UndeliverableAddress | None:
    """The mark that stops messages to this address (an e-mail or a phone), if it has one."""
    if not address:
        return None
    found = standing_marks().filter(matches(UndeliverableAddress, "address", address))
    return found.only("pk", "problem", "channel").first()


def undeliverable_reason(address: str) -> str | None:
    """Why nothing is sent to this address, for the undelivered page; None when it may be used.
    Stored on the message like a backend's error: in English, without the address."""
    mark = standing_mark_for(address)
    if mark is None:
        return None
    return f"Address marked undeliverable ({mark.problem}): a coordinator must clear it first."


def message_with_provider_id(provider_message_id: str, channel: str) -> OutboxMessage | None:
    """The message a provider's event is about, by the id the provider gave it at sending."""
    if not provider_message_id:
        return None
    found = OutboxMessage.objects.filter(provider_message_id=provider_message_id, channel=channel)
    return found.select_related("program", "recipient").first()


def last_message_to(address: str, channel: str) -> OutboxMessage | None:
    """The latest message sent to this address: whose it is, when an event names no message."""
    found = OutboxMessage.objects.filter(matches(OutboxMessage, "to_address", address))
    return found.filter(channel=channel).select_related("program", "recipient").first()


def undeliverable_addresses_visible_to(user: User) -> QuerySet[UndeliverableAddress]:
    """The standing marks of the programs the user coordinates or administers (a superuser
    sees every one, also those of no program), the newest first."""
    marks = standing_marks().select_related("program", "recipient")
    if not user.is_superuser:
        marks = marks.filter(program_id__in=program_ids_for(user, STAFF))
    return marks.order_by("-marked_at", "-id")
