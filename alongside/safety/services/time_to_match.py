"""Time to match: coordinators hear of unmatched requests nearly due; past due ones are recorded."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from alongside.accounts.models import User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.notifications.models import Channel
from alongside.notifications.notify import Notice, notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators, tell_coordinators
from alongside.safety import messages
from alongside.safety.models import SlaAlert, SlaAlertKind
from alongside.safety.queries import sla_alert_kinds


def check_time_to_match(request_id: int, now: dt.datetime) -> int:
    """Alert coordinators of one unmatched request nearly due; record it if past due.

    Returns how many alerts were recorded. Safe to run twice: one SlaAlert per request and kind.
    """
    support_request = (
        SupportRequest.objects.filter(pk=request_id, status=RequestStatus.NEW)
        .select_related("program")
        .first()
    )
    if support_request is None:
        return 0
    already = set(
        SlaAlert.objects.filter(support_request=support_request).values_list("kind", flat=True)
    )
    recorded = 0
    for kind in sla_alert_kinds(support_request.due_at, now):
        if kind not in already and _record_sla_alert(support_request, kind):
            recorded += 1
    return recorded


def check_time_to_match_batch(request_ids: Sequence[int], now: dt.datetime) -> int:
    """check_time_to_match for many requests at once: a few queries, then bulk writes.

    An alert another run recorded meanwhile makes it raise (the runner then goes one by one).
    """
    found = (
        SupportRequest.objects.filter(status=RequestStatus.NEW)
        .select_related("program")
        .in_bulk(request_ids)
    )
    already = set(
        SlaAlert.objects.filter(support_request_id__in=list(found)).values_list(
            "support_request_id", "kind"
        )
    )
    alerts = [
        SlaAlert(
            program=request_.program,
            support_request=request_,
            kind=kind,
            due_at=request_.due_at,
        )
        for request_id in request_ids
        if (request_ := found.get(request_id)) is not None
        for kind in sla_alert_kinds(request_.due_at, now)
        if (request_id, kind) not in already
    ]
    SlaAlert.objects.bulk_create(alerts)
    record_events(
        audit_event(
            actor=None,
            action=f"safety.sla.{alert.kind}",
            target=alert.support_request,
            data={"due_at": alert.due_at.isoformat()},
        )
        for alert in alerts
    )
    coordinators = coordinators_of({alert.program_id for alert in alerts})
    notify_all(_notice_of_sla(alert, coordinators[alert.program_id]) for alert in alerts)
    return len(alerts)


def _record_sla_alert(support_request: SupportRequest, kind: SlaAlertKind) -> bool:
    try:
        with transaction.atomic():
            alert = SlaAlert.objects.create(
                program=support_request.program,
                support_request=support_request,
                kind=kind,
                due_at=support_request.due_at,
            )
            record_event(
                actor=None,
                action=f"safety.sla.{kind}",
                target=support_request,
                data={"due_at": support_request.due_at.isoformat()},
            )
            _tell_about_sla(support_request, alert)
    except IntegrityError:
        return False  # another run recorded it first
    return True


def _tell_about_sla(support_request: SupportRequest, alert: SlaAlert) -> None:
    tell_coordinators(support_request.program, **_sla_message(support_request, alert))


def _notice_of_sla(alert: SlaAlert, coordinators: Sequence[User]) -> Notice:
    request_ = alert.support_request
    return notice_to_coordinators(
        request_.program, coordinators=coordinators, **_sla_message(request_, alert)
    )


def _sla_message(support_request: SupportRequest, alert: SlaAlert) -> dict[str, Any]:
    at_risk = alert.kind == SlaAlertKind.AT_RISK
    return {
        "kind": messages.SLA_AT_RISK if at_risk else messages.SLA_BREACHED,
        "context": {
            "number": support_request.pk,
            "due": support_request.due_at,  # in each coordinator's zone, with its name
            "link": settings.SITE_URL + reverse("intake:queue"),
        },
        "key": ("safety.sla", support_request.pk, alert.kind),
        "channels": [Channel.IN_APP, Channel.EMAIL],
        "link": reverse("intake:request_detail", args=[support_request.pk]),
    }
