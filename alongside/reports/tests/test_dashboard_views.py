"""The dashboard page: who may open it, what it shows, and what it costs."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import MembershipFactory, user_with_role
from alongside.accounts.models import Role, User
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import ContactLogFactory, HoursReportFactory, MatchFactory
from alongside.outcomes.factories import SurveyFactory
from alongside.periodic.runner import run_job
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import PipelineStep, Program, StepKind
from alongside.reports.contact_days import forget_counts
from alongside.reports.jobs import count_contact_days
from alongside.safety.models import Escalation, Urgency
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import (
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    WithdrawalReason,
)

DASHBOARD = reverse("reports:dashboard")


def overdue_requests(program: Program, count: int) -> None:
    for _number in range(count):
        SupportRequestFactory(
            program=program,
            received_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
            due_at=dt.datetime(2026, 1, 7, 22, tzinfo=dt.UTC),
        )


def waiting_row(client: Client, query: str = "") -> str:
    page = client.get(DASHBOARD + query).content.decode()
    start = page.index('href="/requests/?')
    return page[start : start + 900]


def test_a_coordinator_lands_on_the_dashboard(client: Client, coordinator_a: User) -> None:
    client.force_login(coordinator_a)

    response = client.get(reverse("home"))

    assert response["Location"] == DASHBOARD


def test_the_dashboard_shows_the_programs_waiting_requests_with_links_to_the_list(
    client: Client, coordinator_a: User, program_a: Program
) -> None:
    overdue_requests(program_a, 3)
    client.force_login(coordinator_a)

    response = client.get(DASHBOARD, {"program": program_a.pk})

    assert response.status_code == 200
    assert response.context["waiting"].overdue == 3
    page = response.content.decode()
    assert f'href="/requests/?program={program_a.pk}&amp;due=overdue"' in page
    assert 'role="img"' in page
    assert 'id="chart-waiting-data"' in page
    assert '<a class="site-brand" href="/">' in page  # home: the dashboard, for staff


def nearly_due_request(program: Program) -> None:
    SupportRequestFactory(program=program, due_at=timezone.now() + dt.timedelta(hours=2))


@pytest.mark.parametrize(
    ("language", "words", "not_these"),
    [("en", "Nearly due", "At risk"), ("fr-ca", "Échéance proche", "À risque")],
)
def test_requests_nearly_due_are_named_as_the_request_queue_names_them_and_link_to_its_filter(
    client: Client,
    coordinator_a: User,
    program_a: Program,
    language: str,
    words: str,
    not_these: str,
) -> None:
    nearly_due_request(program_a)
    coordinator_a.language = language
    coordinator_a.save()
    client.force_login(coordinator_a)

    page = client.get(DASHBOARD, {"program": program_a.pk}).content.decode()
    queue = client.get(reverse("intake:queue"), {"due": "at_risk"}).content.decode()

    link = f'<a href="/requests/?program={program_a.pk}&amp;due=at_risk">{words}</a>'
    assert link in page
    assert not_these not in page
    assert words in queue


def test_the_retention_figure_counts_those_who_withdrew_by_reason_in_the_coordinators_programs(
    client: Client, coordinator_a: User, program_a: Program, program_b: Program
) -> None:
    for program, reason in ((program_a, "moved"), (program_a, "moved"), (program_b, "burnout")):
        SupporterFactory(
            program=program,
            status=SupporterStatus.WITHDRAWN,
            withdrawal_reason=reason,
            status_changed_at=timezone.now(),
        )
    client.force_login(coordinator_a)

    response = client.get(DASHBOARD, {"period": "this_quarter"})

    reasons = dict(response.context["standing"].withdrew_by_reason)
    assert (reasons[WithdrawalReason.MOVED], reasons[WithdrawalReason.BURNOUT]) == (2, 0)
    page = response.content.decode()
    assert "Supporters who withdrew in the period, by their main reason." in page
    start = page.index('<th scope="row">Moved away</th>')
    assert '<td class="text-end">2</td>' in page[start : start + 80]


def test_a_coordinator_never_sees_another_programs_numbers(
    client: Client, coordinator_b: User, program_a: Program, program_b: Program
) -> None:
    overdue_requests(program_a, 3)
    overdue_requests(program_b, 1)
    client.force_login(coordinator_b)

    every_program = client.get(DASHBOARD)
    asked_for_a = client.get(DASHBOARD, {"program": program_a.pk})

    assert every_program.context["waiting"].overdue == 1
    assert asked_for_a.context["waiting"].overdue == 1
    assert asked_for_a.context["chosen_program"] is None
    assert "not one of your programs" in asked_for_a.content.decode()


def test_supporters_peers_and_visitors_cannot_open_the_dashboard(
    client: Client, supporter_a: Supporter, peer_user: User
) -> None:
    assert client.get(DASHBOARD)["Location"].startswith(reverse("account_login"))
    client.force_login(supporter_a.user)
    assert client.get(DASHBOARD).status_code == 403
    client.force_login(peer_user)
    assert client.get(DASHBOARD).status_code == 403


def test_the_dashboard_is_not_in_a_supporters_menu(client: Client, supporter_a: Supporter) -> None:
    client.force_login(supporter_a.user)

    assert DASHBOARD not in client.get(reverse("my_page")).content.decode()


def test_an_unknown_period_shows_this_quarter_and_says_so(
    client: Client, coordinator_a: User
) -> None:
    client.force_login(coordinator_a)

    response = client.get(DASHBOARD, {"period": "<script>"})

    assert response.status_code == 200
    assert response.context["period_choice"] == "this_quarter"
    assert "We do not know the period “&lt;script&gt;”" in response.content.decode()


def test_the_dashboard_reads_in_french(client: Client, coordinator_a: User) -> None:
    coordinator_a.language = "fr-ca"
    coordinator_a.save()
    client.force_login(coordinator_a)

    page = client.get(DASHBOARD).content.decode()

    assert "Délai de jumelage" in page


def busy_program(slug: str) -> Program:
    program = ProgramFactory(slug=slug)
    steps = [
        PipelineStep.objects.create(program=program, name=name, kind=kind, order=order)
        for order, (name, kind) in enumerate(
            [("Interview", StepKind.INTERVIEW), ("Training", StepKind.TRAINING)]
        )
    ]
    supporters = [SupporterFactory(program=program) for _number in range(4)]
    for supporter in supporters:
        StepRecord.objects.create(
            supporter=supporter,
            step=steps[0],
            outcome=StepOutcome.PASSED,
            recorded_at=timezone.now(),
        )
        match = MatchFactory(program=program, supporter=supporter)
        ContactLogFactory(match=match)
        HoursReportFactory(supporter=supporter)
        SurveyFactory(match=match, program=program)
        Escalation.objects.create(program=program, match=match, urgency=Urgency.URGENT)
    overdue_requests(program, 3)
    return program


@pytest.mark.parametrize("one_program", [True, False])
def test_the_dashboard_reads_a_busy_world_in_at_most_fifteen_queries(
    client: Client, db: None, one_program: bool, django_assert_max_num_queries: Any
) -> None:
    programs = [busy_program(f"busy-{number}") for number in range(3)]
    run_job(count_contact_days)  # their contacts counted by day, as the worker leaves them
    coordinator = user_with_role(Role.COORDINATOR, programs[0], email="busy@example.org")
    for program in programs[1:]:
        MembershipFactory(user=coordinator, program=program, role=Role.COORDINATOR)
    client.force_login(coordinator)
    query = {"program": programs[0].pk} if one_program else {}

    with django_assert_max_num_queries(15):
        response = client.get(DASHBOARD, query | {"period": "last_12_months"})

    assert response.status_code == 200


def test_a_program_whose_contacts_are_not_counted_yet_shows_them_at_one_query_more(
    client: Client, db: None, django_assert_max_num_queries: Any
) -> None:
    program = busy_program("not-counted")
    coordinator = user_with_role(Role.COORDINATOR, program, email="counting@example.org")
    forget_counts(program_id=program.pk)  # as after a contact was changed, until the job runs
    client.force_login(coordinator)

    with django_assert_max_num_queries(16):
        response = client.get(DASHBOARD, {"program": program.pk, "period": "last_12_months"})

    assert sum(month.contacts for month in response.context["by_month"].months) == 4
