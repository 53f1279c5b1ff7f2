"""Contacts with the peer: logging them (and what follows from one) and supervisors' comments."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.matches import messages
from alongside.matches.hooks import coordinator_needed
from alongside.matches.models import ContactComment, ContactLog, Match, NoContactAlert, SupportType
from alongside.matches.permissions import may_comment_on
from alongside.matches.services.state import ensure_open, lock_match
from alongside.notifications.models import Channel
from alongside.notifications.notify import DayOf, notify
from alongside.programs.models import ContactMethod
from alongside.resources.models import Resource
from alongside.resources.services import record_referrals

# A contact may be logged up to this far ahead of the server's clock (clocks drift).
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


@transaction.atomic
def log_contact(
    *,
    match: Match,
    logged_by: User,
    occurred_at: dt.datetime,
    minutes: int,
    method: ContactMethod | str,
    was_made: bool,
    support_types: list[SupportType | str],
    note: str,
    follow_up_on: dt.date | None = None,
    follow_up_what: str = "",
    resources: Sequence[Resource] = (),
    needs_coordinator: bool = False,
    is_urgent: bool = False,
    what_happened: str = "",
) -> ContactLog:
    """Record one contact (or attempt) with the peer.

    Counts the resources shared, closes open no-contact alerts, and raises an escalation when
    the supporter says the coordinator is needed.
    """
    ensure_open(lock_match(match))  # the stored status: it may have closed since it was read
    _validate_contact(
        match=match,
        occurred_at=occurred_at,
        minutes=minutes,
        was_made=was_made,
        follow_up_on=follow_up_on,
        needs_coordinator=needs_coordinator,
        what_happened=what_happened,
        shares_resources=bool(resources),
    )
    contact = ContactLog.objects.create(
        match=match,
        logged_by=logged_by,
        occurred_at=occurred_at,
        minutes=minutes,
        method=method,
        was_made=was_made,
        support_types=list(dict.fromkeys(str(kind) for kind in support_types)),
        note=note,
        follow_up_on=follow_up_on,
        follow_up_what=follow_up_what.strip(),
        needs_coordinator=needs_coordinator,
    )
    _follow_up(
        contact,
        logged_by=logged_by,
        resources=resources,
        is_urgent=is_urgent,
        what_happened=what_happened,
    )
    return contact


def _follow_up(
    contact: ContactLog,
    *,
    logged_by: User,
    resources: Sequence[Resource],
    is_urgent: bool,
    what_happened: str,
) -> None:
    """Audits a logged contact and what it sets off: referrals, alerts closed, an escalation."""
    match = contact.match
    record_event(
        actor=logged_by,
        action="matches.contact.logged",
        target=contact,
        data={"match": match.pk}
        | ({"resources": [resource.pk for resource in resources]} if resources else {}),
        program_id=match.program_id,
    )
    if resources:
        record_referrals(contact=contact, resources=resources, shared_by=logged_by)
    NoContactAlert.objects.filter(match=match, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    if contact.needs_coordinator:
        coordinator_needed(
            raised_by=logged_by,
            urgency="urgent" if is_urgent else "beyond_role",
            what_happened=what_happened,
            match=match,
            contact=contact,
        )


def _validate_contact(
    *,
    match: Match,
    occurred_at: dt.datetime,
    minutes: int,
    was_made: bool,
    follow_up_on: dt.date | None,
    needs_coordinator: bool,
    what_happened: str,
    shares_resources: bool,
) -> None:
    if occurred_at > timezone.now() + CLOCK_TOLERANCE:
        raise DomainError(_("A contact cannot be in the future."))
    if occurred_at < match.started_at - dt.timedelta(days=1):
        raise DomainError(_("This contact is dated before the match began."))
    if not 0 <= minutes <= 600:
        raise DomainError(_("Please enter between 0 and 600 minutes."))
    if was_made and minutes == 0:
        raise DomainError(_("A conversation that took place lasted at least one minute."))
    if follow_up_on is not None and follow_up_on < match.program.calendar.today(occurred_at):
        raise DomainError(_("A follow-up date cannot be before the contact."))
    if needs_coordinator and not what_happened.strip():
        raise DomainError(_("Tell the coordinator what happened, in a few words."))
    if shares_resources and not was_made:
        raise DomainError(_("A resource can only be shared in a conversation that took place."))


@transaction.atomic
def comment_on_contact(*, contact: ContactLog, author: User, body: str) -> ContactComment:
    """A supervisor's comment on a contact; tells whoever logged it, in the app."""
    match = contact.match
    if not may_comment_on(author, match):
        raise DomainError(_("Only a supervisor of this program can comment on contacts."))
    body = body.strip()
    if not body:
        raise DomainError(_("Write a comment first."))
    comment = ContactComment.objects.create(contact=contact, author=author, body=body)
    record_event(
        actor=author,
        action="matches.contact.commented",
        target=comment,
        data={"contact": contact.pk},
        program_id=match.program_id,
    )
    logged_by = contact.logged_by
    if logged_by is not None and logged_by.pk != author.pk:
        notify(
            kind=messages.CONTACT_COMMENTED,
            recipients=[logged_by],
            context={"name": author.display_name, "date": DayOf(contact.occurred_at)},
            idempotency_key=("matches.contact.commented", comment.pk),
            channels=[Channel.IN_APP],
            program=match.program,
            link=reverse("matches:detail", args=[match.pk]),
        )
    return comment
