"""Searching a program's waiting requests, for the picker that matches a supporter with one
(core.pickers): by the request's number ("#123" or "123") or the person's first name (the only
name kept in plain text; the last name is encrypted). Before anything is typed, the requests
waiting longest are offered.
"""

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.core.pickers import Option, Source
from alongside.intake.models import RequestStatus, SupportRequest

SUGGESTED = 5


def by_number_or_name(
    requests: QuerySet[SupportRequest], words: list[str]
) -> QuerySet[SupportRequest]:
    """The requests each of whose words is their number or begins the person's first name."""
    for word in words:
        number = word.removeprefix("#")
        matches = Q(peer__first_name__istartswith=word)
        if number.isdigit() and len(number) < 12:
            matches |= Q(pk=int(number))
        requests = requests.filter(matches)
    return requests.order_by("received_at", "pk")


def longest_waiting(requests: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return requests.order_by("received_at", "pk")[:SUGGESTED]


def name_and_wait(support_request: SupportRequest) -> Option:
    """The first name and number, with since when they wait."""
    since = formats.date_format(timezone.localtime(support_request.received_at), "DATE_FORMAT")
    return Option(
        support_request.pk,
        f"{support_request.peer.first_name} · #{support_request.pk}",
        _("waiting since %(day)s") % {"day": since},
    )


def requests_found(count: int) -> str:
    return ngettext("%(count)d request found.", "%(count)d requests found.", count) % {
        "count": count
    }


def waiting_request_source(program_id: int) -> Source[SupportRequest]:
    """A picker over the program's waiting requests."""
    return Source(
        allowed=SupportRequest.objects.filter(
            program_id=program_id, status=RequestStatus.NEW
        ).select_related("peer"),
        matching=by_number_or_name,
        describe=name_and_wait,
        found=requests_found,
        suggested=longest_waiting,
        suggested_text=_("The requests waiting longest. Search for any other by name or number."),
    )
