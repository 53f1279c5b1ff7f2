"""No-contact alerts: a nudge to the supporter, then the coordinator's follow-up queue."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from alongside.accounts.models import Role, User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.matches import messages
from alongside.matches.models import (
    ContactLog,
    Match,
    MatchEvent,
    MatchEventKind,
    MatchStatus,
    NoContactAlert,
    NoContactStage,
)
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, Notice, notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators
from alongside.programs.models import Program
from alongside.programs.queries import members_of


def silent_since(match: Match) -> dt.datetime:
    """The latest of: the start, the last contact logged, the last resumption."""
    moments = [
        match.started_at,
        getattr(match, "last_contact_at", None),
        getattr(match, "last_resumed_at", None),
    ]
    return max(moment for moment in moments if moment is not None)


def silent_matches(now: dt.datetime) -> QuerySet[Match]:
    """Active matches silent long enough for an alert they have not had for this silence.

    One query: each program counts its own days. A match nudged but not yet silent long enough
    to reach the coordinators is not due.
    """
    matches = _silences().annotate(
        silence=Greatest(
            "started_at",
            Coalesce("last_contact_at", "started_at"),
            Coalesce("last_resumed_at", "started_at"),
        )
    )
    raised = NoContactAlert.objects.filter(match=OuterRef("pk"), silent_since=OuterRef("silence"))
    nudged = Exists(raised.filter(stage=NoContactStage.NUDGED))
    escalated = Exists(raised.filter(stage=NoContactStage.ESCALATED))
    due = Q(pk__in=[])
    for program in Program.objects.only("no_contact_nudge_days", "no_contact_escalate_days"):
        nudge_days = program.no_contact_nudge_days
        escalate_by = now - dt.timedelta(days=nudge_days + program.no_contact_escalate_days)
        due |= Q(program=program, silence__lte=now - dt.timedelta(days=nudge_days)) & (
            ~nudged | (Q(silence__lte=escalate_by) & ~escalated)
        )
    return matches.filter(due).order_by("pk")


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
    since = silent_since(match)
    return sum(_raise(match, since, stage, now) for stage in _stages_reached(match, since, now))


@transaction.atomic
def _raise(match: Match, since: dt.datetime, stage: NoContactStage, now: dt.datetime) -> int:
    alert, created = NoContactAlert.objects.get_or_create(
        match=match, silent_since=since, stage=stage, defaults={"created_at": now}
    )
    if not created:
        return 0
    record_event(**_event_of(alert))
    escalated = stage == NoContactStage.ESCALATED
    coordinators = list(members_of(match.program, [Role.COORDINATOR])) if escalated else []
    notify_all([_notice_of(alert, coordinators)])
    return 1


def check_no_contact_batch(match_ids: Sequence[int], now: dt.datetime) -> int:
    """check_no_contact for many matches at once: one query for their silences, then the
    alerts, audit events and messages in bulk. An alert another run raised meanwhile makes it
    raise (the runner then goes one by one)."""
    matches = _silences().in_bulk(match_ids)
    raised = set(
        NoContactAlert.objects.filter(match_id__in=list(matches)).values_list(
            "match_id", "silent_since", "stage"
        )
    )
    alerts = [
        NoContactAlert(match=match, silent_since=since, stage=stage, created_at=now)
        for match_id in match_ids
        if (match := matches.get(match_id)) is not None
        for since in [silent_since(match)]
        for stage in _stages_reached(match, since, now)
        if (match.pk, since, stage) not in raised
    ]
    NoContactAlert.objects.bulk_create(alerts)
    record_events(audit_event(**_event_of(alert)) for alert in alerts)
    coordinators = coordinators_of({alert.match.program_id for alert in alerts})
    notify_all(_notice_of(alert, coordinators[alert.match.program_id]) for alert in alerts)
    return len(alerts)


def _silences() -> QuerySet[Match]:
    """Active matches with when they were last contacted and last resumed, one query."""
    last_contact = (
        ContactLog.objects.filter(match=OuterRef("pk"))
        .order_by()
        .values("match")
        .annotate(at=Max("occurred_at"))
        .values("at")
    )
    last_resumed = (
        MatchEvent.objects.filter(match=OuterRef("pk"), kind=MatchEventKind.RESUMED)
        .order_by()
        .values("match")
        .annotate(at=Max("at"))
        .values("at")
    )
    return (
        Match.objects.filter(status=MatchStatus.ACTIVE)
        .select_related("program", "supporter__user", "request__peer")
        .annotate(last_contact_at=Subquery(last_contact), last_resumed_at=Subquery(last_resumed))
    )


def _stages_reached(match: Match, since: dt.datetime, now: dt.datetime) -> list[NoContactStage]:
    silent_days = (now - since).days
    nudge_after = match.program.no_contact_nudge_days
    stages = []
    if silent_days >= nudge_after:
        stages.append(NoContactStage.NUDGED)
    if silent_days >= nudge_after + match.program.no_contact_escalate_days:
        stages.append(NoContactStage.ESCALATED)
    return stages


def _event_of(alert: NoContactAlert) -> dict[str, Any]:
    return {
        "actor": None,
        "action": f"matches.no_contact.{alert.stage}",
        "target": alert,
        "program_id": alert.match.program_id,
    }


def _notice_of(alert: NoContactAlert, coordinators: Sequence[User]) -> Notice:
    """The supporter's nudge, or the coordinators' message when the silence goes on."""
    match = alert.match
    days = (alert.created_at - alert.silent_since).days
    link = reverse("matches:detail", args=[match.pk])
    if alert.stage == NoContactStage.NUDGED:
        return Notice(
            kind=messages.NO_CONTACT_NUDGED,
            recipients=[match.supporter.user],
            context={"peer": match.request.peer.first_name, "days": days},
            idempotency_key=("matches.no_contact.nudged", alert.pk, CHANNEL),
            channels=[Channel.EMAIL, Channel.IN_APP],
            program=match.program,
            link=link,
        )
    return notice_to_coordinators(
        match.program,
        coordinators=coordinators,
        kind=messages.NO_CONTACT_ESCALATED,
        context={"number": match.pk, "supporter": match.supporter.display_name, "days": days},
        key=("matches.no_contact.escalated", alert.pk),
        link=link,
    )
