"""What the providers report: delivery, bounces, complaints; and the marks they leave.

An event may come twice (providers retry their webhooks): each change is made once, the
coordinators are told once a mark, and the same event again changes nothing.
"""

import datetime as dt
import operator
from collections.abc import Sequence
from functools import reduce

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.blind_index import matches
from alongside.notifications.messages import ADDRESS_UNDELIVERABLE
from alongside.notifications.models import (
    Channel,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
    UndeliverableAddress,
)
from alongside.notifications.providers import queries
from alongside.notifications.providers.hooks import person_page
from alongside.notifications.services import NotificationError
from alongside.notifications.team import tell_coordinators

# The reports that say the address itself cannot be used (a hard bounce, a refusal, a
# complaint); a message that merely failed is given up without marking its address.
MARKING_REPORTS = (DeliveryReport.BOUNCED, DeliveryReport.REJECTED, DeliveryReport.COMPLAINED)


@transaction.atomic
def record_delivery_report(
    *,
    channel: Channel,
    provider_message_id: str,
    report: DeliveryReport,
    address: str = "",
    detail: str = "",
    mark_address: bool | None = None,
) -> OutboxMessage | None:
    """Record what the provider reported about a message it took; returns the message, if found.

    A failure gives the message up (audited) and, for a bounce, refusal or complaint (or when
    `mark_address` says so), marks the address undeliverable and tells the coordinators.
    `address` is the one the event names, else the message's own.
    """
    message = queries.message_with_provider_id(provider_message_id, channel)
    if message is not None:
        _report_on(message, report, detail)
    if mark_address is None:
        mark_address = report in MARKING_REPORTS
    address = address or (str(message.to_address) if message is not None else "")
    if mark_address and address:
        mark_undeliverable(
            address=address, channel=channel, problem=report, detail=detail, message=message
        )
    return message


def _report_on(message: OutboxMessage, report: DeliveryReport, detail: str) -> None:
    rows = OutboxMessage.objects.filter(pk=message.pk)
    if report == DeliveryReport.DELIVERED:
        # A late "delivered" never hides a bounce reported before it.
        rows.filter(delivery_report="").update(delivery_report=report)
        return
    reason = f"The provider reported: {report.value}" + (f" ({detail})" if detail else "")
    changed = rows.exclude(delivery_report=report).update(
        delivery_report=report, status=MessageStatus.DEAD, last_error=reason[:300]
    )
    if changed:
        record_event(
            actor=None,
            action=f"notifications.message.{report.value}",
            target=message,
            data={"detail": detail[:200]},
        )


@transaction.atomic
def mark_undeliverable(
    *,
    address: str,
    channel: Channel,
    problem: DeliveryReport,
    detail: str = "",
    message: OutboxMessage | None = None,
) -> UndeliverableAddress | None:
    """Mark the address undeliverable, so nothing more is sent to it; tells the coordinators of
    the program it was last written to for (audited). None when it was marked already."""
    if queries.standing_mark_for(address) is not None:
        return None
    about = message or queries.last_message_to(address, channel)
    program = about.program if about is not None else None
    recipient = about.recipient if about is not None else None
    mark = UndeliverableAddress(
        address=address,
        channel=channel,
        problem=problem,
        detail=detail[:200],
        message=about,
        program=program,
        recipient=recipient,
        person_link=person_page(program, channel, address, recipient) if program else "",
    )
    try:
        with transaction.atomic():
            mark.save()
    except IntegrityError:  # the same event, delivered twice at once: the other one marked it
        return None
    record_event(
        actor=None,
        action="notifications.address.marked",
        target=mark,
        data={"channel": channel, "problem": problem, "detail": mark.detail},
    )
    _tell_about(mark)
    return mark


def _tell_about(mark: UndeliverableAddress) -> None:
    if mark.program is None:
        return
    tell_coordinators(
        mark.program,
        kind=ADDRESS_UNDELIVERABLE,
        context={
            "name": mark.recipient.display_name if mark.recipient is not None else "",
            # Translated for each coordinator by notify(), lowered by the text.
            "channel": Channel(mark.channel).label,
            "problem": DeliveryReport(mark.problem).label,
        },
        key=(ADDRESS_UNDELIVERABLE.code, mark.pk),
        link=reverse("notifications:undeliverable"),
    )


@transaction.atomic
def clear_undeliverable(*, mark: UndeliverableAddress, actor: User) -> UndeliverableAddress:
    """Messages may go to the address again (the person gave a new one, or the problem is
    fixed); audited. Clearing twice, from two tabs, clears once."""
    cleared = UndeliverableAddress.objects.filter(pk=mark.pk, cleared_at__isnull=True).update(
        cleared_at=timezone.now(), cleared_by=actor
    )
    if not cleared:
        raise NotificationError(_("This address was cleared already."))
    mark.refresh_from_db(fields=["cleared_at", "cleared_by"])
    _forget_address_of(mark)  # kept for the record: when, what, who cleared it
    record_event(
        actor=actor,
        action="notifications.address.cleared",
        target=mark,
        data={"channel": mark.channel, "problem": mark.problem},
    )
    return mark


def _forget_address_of(mark: UndeliverableAddress) -> None:
    mark.address = ""
    mark.save(update_fields=["address", "address_index"])


@transaction.atomic
def forget_addresses(*, addresses: Sequence[str], at: dt.datetime) -> int:
    """Clear the marks on these addresses and empty them (a person's erasure); the rows stay,
    so counts do not change. How many marks held one of them. The caller audits it."""
    found = [address for address in addresses if address.strip()]
    if not found:
        return 0
    any_of = reduce(operator.or_, (matches(UndeliverableAddress, "address", a) for a in found))
    marks = list(UndeliverableAddress.objects.filter(any_of))
    for mark in marks:
        UndeliverableAddress.objects.filter(pk=mark.pk, cleared_at__isnull=True).update(
            cleared_at=at
        )
        _forget_address_of(mark)
    return len(marks)
