"""Searching a program's waiting requests, for the picker that matches a supporter with one
(core.pickers): by the request's number ("#123" or "123") or a whole word of the person's
first or last name (both encrypted: found through their blind indexes, ADR 0006). Before
anything is typed, the requests waiting longest are offered.
"""

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.core.blind_index import name_matches
from alongside.core.pickers import Option, Source
from alongside.intake.models import Peer, RequestStatus, SupportRequest

SUGGESTED = 5
PEER_NAMES = [(Peer, "first_name", "peer__"), (Peer, "last_name", "peer__")]


def by_number_or_name(
    requests: QuerySet[SupportRequest], words: list[str]
) -> QuerySet[SupportRequest]:
    """The requests each of whose words is their number or a word of the person's name."""
    for word in words:
        number = word.removeprefix("#")
        matches = name_matches(word, plain=[], blind=PEER_NAMES)
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
        nothing_found_text=_(
            "No waiting request found for “%(text)s”. Check the spelling: a name is found "
            "by a whole first or last name, never by its start."
        ),
    )
