"""No-contact alerts: a nudge to the supporter, then the coordinator's follow-up queue."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.urls import reverse

from alongside.core.audit import record_event
from alongside.matches import messages
from alongside.matches.models import (
    Match,
    MatchEventKind,
    MatchStatus,
    NoContactAlert,
    NoContactStage,
)
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, notify
from alongside.notifications.team import tell_coordinators


def silent_since(match: Match) -> dt.datetime:
    """The latest of: the start, the last contact logged, the last resumption."""
    moments = [
        match.started_at,
        getattr(match, "last_contact_at", None),
        getattr(match, "last_resumed_at", None),
    ]
    return max(moment for moment in moments if moment is not None)


def active_matches(_now: dt.datetime) -> QuerySet[Match]:
    """The matches whose silence is watched: every active one."""
    return Match.objects.filter(status=MatchStatus.ACTIVE).order_by("pk")


def check_no_contact(match_id: int, now: dt.datetime) -> int:
    """Nudge the supporter of a silent active match; tell coordinators when silence goes on.

    Returns how many alerts were raised. Each alert is keyed by the match, when its silence
    began and its stage: safe to run twice.
    """
    match = (
        Match.objects.filter(pk=match_id, status=MatchStatus.ACTIVE)
        .select_related("program", "supporter__user", "request__peer")
        .annotate(
            last_contact_at=Max("contacts__occurred_at"),
            last_resumed_at=Max("events__at", filter=Q(events__kind=MatchEventKind.RESUMED)),
        )
        .first()
    )
    if match is None:
        return 0
    raised = 0
    since = silent_since(match)
    silent_days = (now - since).days
    nudge_after = match.program.no_contact_nudge_days
    if silent_days >= nudge_after:
        raised += _raise(match, since, NoContactStage.NUDGED, now)
    if silent_days >= nudge_after + match.program.no_contact_escalate_days:
        raised += _raise(match, since, NoContactStage.ESCALATED, now)
    return raised


@transaction.atomic
def _raise(match: Match, since: dt.datetime, stage: NoContactStage, now: dt.datetime) -> int:
    alert, created = NoContactAlert.objects.get_or_create(
        match=match, silent_since=since, stage=stage, defaults={"created_at": now}
    )
    if not created:
        return 0
    record_event(
        actor=None, action=f"matches.no_contact.{stage}", target=alert, program_id=match.program_id
    )
    days = (now - since).days
    if stage == NoContactStage.NUDGED:
        notify(
            kind=messages.NO_CONTACT_NUDGED,
            recipients=[match.supporter.user],
            context={"peer": match.request.peer.first_name, "days": days},
            idempotency_key=("matches.no_contact.nudged", alert.pk, CHANNEL),
            channels=[Channel.EMAIL, Channel.IN_APP],
            program=match.program,
            link=reverse("matches:detail", args=[match.pk]),
        )
        return 1
    tell_coordinators(
        match.program,
        kind=messages.NO_CONTACT_ESCALATED,
        context={"number": match.pk, "supporter": match.supporter.display_name, "days": days},
        key=("matches.no_contact.escalated", alert.pk),
        link=reverse("matches:detail", args=[match.pk]),
    )
    return 1
