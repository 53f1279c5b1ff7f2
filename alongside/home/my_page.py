"""What a supporter's own page gathers from every app: what waits for them, program by program.

Every list is bounded: a supporter has a handful of proposals, matches and meetings; the page
shows the first few of each and says when there are more.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.groups.models import Attendance
from alongside.groups.queries import upcoming_for_supporter
from alongside.matches.alerts import silent_since
from alongside.matches.models import CheckIn, HoursReport, Match, MatchEventKind, MatchStatus
from alongside.matches.queries import peer_support_hours
from alongside.matching.models import Proposal, ProposalStatus
from alongside.supporters import queries
from alongside.supporters.forms.wellbeing import DebriefForm, WellbeingForm
from alongside.supporters.models import Supporter, TrainingRecord

SHOWN = 10  # of each list: proposals, matches, meetings
EXPIRY_WARNING = dt.timedelta(days=60)  # a training that runs out within this is flagged
CHECK_IN_WARNING = dt.timedelta(days=14)


@dataclass(frozen=True)
class NextStep:
    text: str
    is_due: bool  # shown as something to do now, not just information


@dataclass(frozen=True)
class MatchSummary:
    match: Match
    steps: tuple[NextStep, ...]


def profiles_of(user: User) -> list[Supporter]:
    return list(
        Supporter.objects.filter(user=user, program__is_active=True)
        .select_related("program")
        .order_by("program__name", "pk")
    )


def proposals_waiting(supporter: Supporter) -> list[Proposal]:
    """Sent to the supporter and not answered yet, soonest due first."""
    return list(
        Proposal.objects.filter(supporter=supporter, status=ProposalStatus.PROPOSED)
        .select_related("request__peer")
        .order_by("respond_by", "pk")[:SHOWN]
    )


def open_matches(supporter: Supporter, today: dt.date) -> list[MatchSummary]:
    """The supporter's open matches, each with what comes next."""
    matches = (
        Match.objects.open()
        .filter(supporter=supporter)
        .select_related("program", "request__peer")
        .annotate(
            last_contact_at=Max("contacts__occurred_at"),
            last_resumed_at=Max("events__at", filter=Q(events__kind=MatchEventKind.RESUMED)),
        )
        .order_by("started_at", "pk")[:SHOWN]
    )
    check_ins: dict[int, CheckIn] = {}
    for check_in in CheckIn.objects.filter(
        match__in=[match.pk for match in matches], done_at__isnull=True
    ).order_by("-due_on"):
        check_ins[check_in.match_id] = check_in  # the earliest not done wins
    return [
        MatchSummary(match, _next_steps(match, check_ins.get(match.pk), today)) for match in matches
    ]


def _next_steps(match: Match, check_in: CheckIn | None, today: dt.date) -> tuple[NextStep, ...]:
    if match.status == MatchStatus.PAUSED:
        return (NextStep(_("Paused: no contact expected for now."), is_due=False),)
    steps = []
    contact_by = timezone.localtime(silent_since(match)).date() + dt.timedelta(
        days=match.program.no_contact_nudge_days
    )
    if contact_by <= today:
        steps.append(NextStep(_("Contact due now: please get in touch and log it."), True))
    else:
        steps.append(
            NextStep(_("Next contact by %(day)s.") % {"day": _day(contact_by)}, is_due=False)
        )
    if check_in is not None and check_in.due_on <= today + CHECK_IN_WARNING:
        steps.append(
            NextStep(
                _("%(check_in)s due %(day)s: your coordinator will ask how it is going.")
                % {"check_in": check_in, "day": _day(check_in.due_on)},
                is_due=check_in.due_on <= today,
            )
        )
    return tuple(steps)


def reports_to_confirm(supporter: Supporter) -> list[HoursReport]:
    return list(
        HoursReport.objects.filter(supporter=supporter, confirmed_at__isnull=True).order_by(
            "month"
        )[:3]
    )


def trainings_expiring(
    trainings: tuple[TrainingRecord, ...], today: dt.date
) -> list[TrainingRecord]:
    """Trainings that run out soon or have run out, soonest first."""
    return sorted(
        (
            training
            for training in trainings
            if training.expires_on is not None and training.expires_on <= today + EXPIRY_WARNING
        ),
        key=lambda training: training.expires_on or today,
    )


def meetings(supporter: Supporter, now: dt.datetime) -> list[Attendance]:
    return upcoming_for_supporter(supporter, now, limit=SHOWN)


def page_of(user: User) -> dict[str, Any]:
    """Everything My page shows, program by program."""
    profiles = profiles_of(user)
    now = timezone.now()
    today = timezone.localdate()
    states = queries.readiness_of(profiles)  # each on their program's day, as matching counts
    return {
        "today": today,
        "profiles": [
            {
                "supporter": own,
                "readiness": states[own.pk],
                "proposals": proposals_waiting(own),
                "matches": open_matches(own, today),
                "has_closed_matches": Match.objects.filter(
                    supporter=own, status=MatchStatus.CLOSED
                ).exists(),
                "reports": reports_to_confirm(own),
                "invitations": meetings(own, now),
                "expiring": trainings_expiring(states[own.pk].trainings, today),
                "hours": peer_support_hours(own),
                "supervision": queries.supervision_dates(own, today),
                "wellbeing_form": WellbeingForm(prefix=f"wellbeing-{own.pk}"),
                "debrief_form": DebriefForm(prefix=f"debrief-{own.pk}"),
            }
            for own in profiles
        ],
    }


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")
