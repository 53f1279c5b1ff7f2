"""Time to match: coordinators hear of unmatched requests nearly due; past due ones are recorded."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from alongside.core.audit import record_event
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.notifications.models import Channel
from alongside.notifications.team import tell_coordinators
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
    program = support_request.program
    at_risk = alert.kind == SlaAlertKind.AT_RISK
    tell_coordinators(
        program,
        kind=messages.SLA_AT_RISK if at_risk else messages.SLA_BREACHED,
        context={
            "number": support_request.pk,
            "due": support_request.due_at,  # in each coordinator's zone, with its name
            "link": settings.SITE_URL + reverse("intake:queue"),
        },
        key=("safety.sla", support_request.pk, alert.kind),
        channels=[Channel.IN_APP, Channel.EMAIL],
        link=reverse("intake:request_detail", args=[support_request.pk]),
    )
