import datetime as dt

from django.db.models import QuerySet

from alongside.accounts.models import User
from alongside.intake.models import SupportRequest
from alongside.notifications.notify import Contact
from alongside.programs.models import ContactMethod, Program
from alongside.programs.queries import programs_staffed_by

# The encrypted columns of a request and its peer, which no list shows.
LISTS_DO_NOT_READ = (
    "about",
    "preferences",
    "best_times",
    "peer__last_name",
    "peer__email",
    "peer__phone",
)


def request_queue(user: User, *, program_id: int | None = None) -> QuerySet[SupportRequest]:
    """Requests waiting for a match in the user's programs, the soonest due first (without
    what the person wrote or their contact details: a list decrypts none of them)."""
    queryset = (
        SupportRequest.objects.visible_to(user)
        .waiting()
        .select_related("program", "peer", "experience")
        .defer(*LISTS_DO_NOT_READ)
        .order_by("due_at", "received_at", "pk")
    )
    if program_id:
        queryset = queryset.filter(program_id=program_id)
    return queryset


def peer_contact(support_request: SupportRequest, *, by_text_if_asked: bool = True) -> Contact:
    """The peer as notify() reaches them: by text when they asked for it and gave a phone,
    else by e-mail; in the language they asked in."""
    peer = support_request.peer
    by_text = (
        by_text_if_asked
        and ContactMethod.TEXT in support_request.contact_methods
        and bool(peer.phone)
    )
    return Contact(
        email="" if by_text else peer.email,
        phone=peer.phone if by_text else "",
        language=peer.language,
        name=peer.first_name,
    )


def programs_taking_calls(user: User) -> QuerySet[Program]:
    """The programs the user staffs that take requests by phone, by name."""
    return programs_staffed_by(user).filter(is_active=True, accepts_phone_requests=True)


def days_not_counted(support_request: SupportRequest) -> list[tuple[dt.date, str]]:
    """The public holidays the promise skips, from the day the request came to its due day."""
    calendar = support_request.program.calendar
    return calendar.holidays_between(
        support_request.received_at.astimezone(calendar.zone).date(),
        support_request.due_at.astimezone(calendar.zone).date(),
    )


def received_request(program: Program, received_id: object) -> SupportRequest | None:
    """The request this visitor just sent to `program` (its id kept in their session), if any."""
    if not isinstance(received_id, int):
        return None
    return SupportRequest.objects.filter(pk=received_id, program=program).first()
