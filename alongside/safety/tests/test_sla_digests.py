"""Many requests falling due in one run: each coordinator gets one digest of a kind (ADR 0007)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.models import ItemFailure
from alongside.periodic.runner import run_job
from alongside.programs.models import Program
from alongside.safety import jobs
from alongside.safety.models import SlaAlert, SlaAlertKind
from alongside.safety.services import time_to_match

RECEIVED = dt.datetime(2026, 1, 13, 15, 0, tzinfo=dt.UTC)  # a Tuesday, 10:00 in Toronto


def waiting(program: Program, count: int) -> list[SupportRequest]:
    return [
        SupportRequestFactory(program=program, received_at=RECEIVED + dt.timedelta(minutes=n))
        for n in range(count)
    ]


def past_due(requests: list[SupportRequest]) -> dt.datetime:
    return max(request_.due_at for request_ in requests) + dt.timedelta(days=1)


def message_to(user: User, channel: Channel, saying: str) -> OutboxMessage:
    (found,) = [
        message
        for message in OutboxMessage.objects.filter(recipient=user, channel=channel)
        if saying in message.subject
    ]
    return found


def emails_to(user: User) -> list[str]:
    told = OutboxMessage.objects.filter(recipient=user, channel=Channel.EMAIL)
    return sorted(told.values_list("subject", flat=True))


def test_a_backlog_of_requests_past_due_gives_each_coordinator_one_digest_of_each_kind(
    program_a: Program, coordinator_a: User
) -> None:
    requests = waiting(program_a, 7)

    assert run_job(jobs.check_time_to_match, now=past_due(requests)).changed == 14

    assert emails_to(coordinator_a) == [
        "7 requests are nearly due",
        "7 requests passed their time to match",
    ]
    breached = message_to(coordinator_a, Channel.IN_APP, "passed")
    assert breached.link == f"/requests/?program={program_a.pk}&due=overdue"
    numbers = ", ".join(f"#{request_.pk}" for request_ in requests[:5])
    assert f"{numbers} and 2 more" in breached.body
    assert SlaAlert.objects.filter(kind=SlaAlertKind.BREACHED).count() == 7


def test_a_french_coordinator_reads_the_digest_in_french(program_a: Program) -> None:
    in_french = user_with_role(Role.COORDINATOR, program_a, language="fr-ca")
    requests = waiting(program_a, 4)

    run_job(jobs.check_time_to_match, now=past_due(requests))

    assert emails_to(in_french) == [
        "L'échéance de 4 demandes approche",
        "L'échéance de 4 demandes est passée",
    ]
    at_risk = message_to(in_french, Channel.EMAIL, "approche")
    assert f"/requests/?program={program_a.pk}&due=at_risk" in at_risk.body
    assert f"nº {requests[0].pk}, nº {requests[1].pk}" in at_risk.body


def test_a_few_requests_past_due_keep_their_own_alerts(
    program_a: Program, program_b: Program, coordinator_a: User, coordinator_b: User
) -> None:
    requests = waiting(program_a, 3) + waiting(program_b, 5)

    run_job(jobs.check_time_to_match, now=past_due(requests))

    assert emails_to(coordinator_a) == sorted(
        f"Request #{request_.pk} is {state}"
        for request_ in requests[:3]
        for state in ("nearly due", "past due")
    )
    assert emails_to(coordinator_b) == [
        "5 requests are nearly due",
        "5 requests passed their time to match",
    ]


def test_a_request_whose_alert_fails_leaves_the_others_in_the_digest(
    program_a: Program, coordinator_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = waiting(program_a, 6)
    broken = requests[2].pk
    message = time_to_match._sla_message

    def broken_message(support_request, alert):  # type: ignore[no-untyped-def]
        if support_request.pk == broken:
            raise KeyError("a bad row")
        return message(support_request, alert)

    monkeypatch.setattr(time_to_match, "_sla_message", broken_message)

    summary = run_job(jobs.check_time_to_match, now=past_due(requests))

    assert (summary.done, summary.failed) == (5, 1)
    assert ItemFailure.objects.filter(job="check_time_to_match", item_pk=broken).exists()
    assert emails_to(coordinator_a) == [
        "5 requests are nearly due",
        "5 requests passed their time to match",
    ]
    assert f"#{broken}" not in message_to(coordinator_a, Channel.EMAIL, "passed").body


def test_the_digests_link_opens_the_programs_overdue_requests(
    client: Client, program_a: Program, program_b: Program, coordinator_a: User
) -> None:
    requests = waiting(program_a, 5)
    in_b = waiting(program_b, 5)
    run_job(jobs.check_time_to_match, now=past_due(requests))
    not_due_yet = SupportRequestFactory(program=program_a, received_at=timezone.now())
    client.force_login(coordinator_a)

    response = client.get(message_to(coordinator_a, Channel.IN_APP, "passed").link)

    content = response.content.decode()
    assert all(f"#{request_.pk}</a>" in content for request_ in requests)
    assert f"#{not_due_yet.pk}</a>" not in content
    assert not any(f"#{request_.pk}</a>" in content for request_ in in_b)
