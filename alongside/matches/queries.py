from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, QuerySet, Sum

from alongside.accounts.models import User
from alongside.matches.models import ContactLog, Match


@dataclass(frozen=True)
class MatchHours:
    minutes: int
    contacts_made: int
    attempts: int

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


def hours_from_minutes(minutes: int) -> Decimal:
    """Hours to one decimal, as coordinators report them (45 minutes is 0.8 h)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"))


def matches_for_list(user: User) -> QuerySet[Match]:
    """The matches a user may see, with what the list shows, newest first."""
    return (
        Match.objects.visible_to(user)
        .select_related("program", "supporter__user", "request__peer")
        .annotate(
            minutes_logged=Sum("contacts__minutes", filter=Q(contacts__was_made=True), default=0),
            last_contact_at=Max("contacts__occurred_at"),
        )
        .order_by("status", "-started_at")
    )


def hours_for(match: Match) -> MatchHours:
    totals = match.contacts.aggregate(
        minutes=Sum("minutes", filter=Q(was_made=True), default=0),
        made=Count("id", filter=Q(was_made=True)),
        attempts=Count("id", filter=Q(was_made=False)),
    )
    return MatchHours(
        minutes=totals["minutes"], contacts_made=totals["made"], attempts=totals["attempts"]
    )


def contacts_for(match: Match) -> QuerySet[ContactLog]:
    return match.contacts.select_related("logged_by")
