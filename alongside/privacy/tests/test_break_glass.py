"""Break-glass: a member of a program whose scope hides a request opens it in an emergency
with a reason and their password, for an hour; the privacy lead is told and reviews it."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import (
    DEMO_PASSWORD,
    MembershipFactory,
    UserFactory,
    user_with_role,
)
from alongside.accounts.models import Role, User
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.notifications.models import Channel, OutboxMessage
from alongside.privacy import break_glass
from alongside.privacy.models import BreakGlassAccess, BreakGlassOutcome
from alongside.programs.models import Program

REASON = "Jordan's supporter reports an urgent risk and the coordinator is unreachable."


@pytest.fixture
def supervisor_a(program_a: Program) -> User:
    """A member of program A whose scope does not include its requests."""
    return user_with_role(Role.SUPERVISOR, program_a, email="supervisor.a@example.org")


@pytest.fixture
def privacy_lead_a(program_a: Program) -> User:
    return user_with_role(Role.PRIVACY_LEAD, program_a, email="privacy.a@example.org")


@pytest.fixture
def hidden_request(program_a: Program) -> SupportRequest:
    return SupportRequestFactory(program=program_a, peer__first_name="Jordan")


def confirmed(client: Client, user: User) -> Client:
    """Signed in, and just confirmed it is them with their password."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def page(support_request: SupportRequest) -> str:
    return reverse("privacy:break_glass", args=[support_request.pk])


# --- services ---------------------------------------------------------------------------


def test_a_request_outside_a_members_scope_is_offered_to_them(
    supervisor_a: User, hidden_request: SupportRequest
) -> None:
    assert break_glass.request_outside_scope(supervisor_a, hidden_request.pk) == hidden_request


def test_a_request_the_member_sees_already_is_not_break_glass(
    coordinator_a: User, hidden_request: SupportRequest
) -> None:
    assert break_glass.request_outside_scope(coordinator_a, hidden_request.pk) is None


def test_nobody_outside_the_program_is_offered_its_requests(
    program_b: Program, hidden_request: SupportRequest, privacy_lead_a: User
) -> None:
    supervisor_b = user_with_role(Role.SUPERVISOR, program_b)
    supporter = user_with_role(Role.SUPPORTER, hidden_request.program)
    for user in (supervisor_b, supporter, privacy_lead_a, UserFactory()):
        assert break_glass.request_outside_scope(user, hidden_request.pk) is None
        with pytest.raises(DomainError):
            break_glass.open_break_glass(support_request=hidden_request, by=user, reason=REASON)


def test_opening_grants_an_hour_audits_it_without_the_reason_and_tells_the_privacy_lead(
    supervisor_a: User, privacy_lead_a: User, hidden_request: SupportRequest
) -> None:
    access = break_glass.open_break_glass(
        support_request=hidden_request, by=supervisor_a, reason=REASON
    )

    assert access.expires_at - access.opened_at == dt.timedelta(minutes=60)
    assert break_glass.access_in_force(supervisor_a, hidden_request) == access
    event = AuditEvent.objects.get(action="privacy.break_glass.opened")
    assert event.program_id == hidden_request.program_id
    assert "urgent risk" not in str(event.data)
    told = OutboxMessage.objects.filter(recipient=privacy_lead_a)
    assert {message.channel for message in told} == {Channel.IN_APP, Channel.EMAIL}
    assert all("Jordan" not in str(message.__dict__) for message in told)
    assert break_glass.unreviewed_count(privacy_lead_a) == 1


def test_the_reason_is_kept_encrypted(supervisor_a: User, hidden_request: SupportRequest) -> None:
    break_glass.open_break_glass(support_request=hidden_request, by=supervisor_a, reason=REASON)

    stored = BreakGlassAccess.objects.values_list("reason", flat=True).get()
    assert stored == REASON
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM privacy_breakglassaccess")
        (raw,) = cursor.fetchone()
    assert "urgent risk" not in str(raw)


def test_a_reason_too_short_is_refused(supervisor_a: User, hidden_request: SupportRequest) -> None:
    with pytest.raises(DomainError, match="at least 20"):
        break_glass.open_break_glass(support_request=hidden_request, by=supervisor_a, reason="x")
    assert not BreakGlassAccess.objects.exists()


def test_without_a_privacy_lead_the_administrators_are_told(
    supervisor_a: User, administrator: User, hidden_request: SupportRequest
) -> None:
    break_glass.open_break_glass(support_request=hidden_request, by=supervisor_a, reason=REASON)

    assert OutboxMessage.objects.filter(recipient=administrator).exists()


def test_the_access_ends_after_an_hour(supervisor_a: User, hidden_request: SupportRequest) -> None:
    break_glass.open_break_glass(support_request=hidden_request, by=supervisor_a, reason=REASON)

    later = timezone.now() + dt.timedelta(minutes=61)
    assert break_glass.access_in_force(supervisor_a, hidden_request, later) is None


def test_the_privacy_lead_reviews_once_and_it_is_audited(
    supervisor_a: User, privacy_lead_a: User, hidden_request: SupportRequest
) -> None:
    access = break_glass.open_break_glass(
        support_request=hidden_request, by=supervisor_a, reason=REASON
    )

    break_glass.review_break_glass(
        access=access, by=privacy_lead_a, outcome=BreakGlassOutcome.JUSTIFIED, note="Checked."
    )

    access.refresh_from_db()
    assert (access.outcome, access.reviewed_by) == (BreakGlassOutcome.JUSTIFIED, privacy_lead_a)
    event = AuditEvent.objects.get(action="privacy.break_glass.reviewed")
    assert event.data == {"outcome": "justified"}
    assert break_glass.unreviewed_count(privacy_lead_a) == 0
    with pytest.raises(DomainError, match="reviewed already"):
        break_glass.review_break_glass(
            access=access, by=privacy_lead_a, outcome=BreakGlassOutcome.NOT_JUSTIFIED, note=""
        )


def test_nobody_reviews_their_own_emergency_access(
    program_a: Program, hidden_request: SupportRequest
) -> None:
    supervising_admin = user_with_role(Role.SUPERVISOR, program_a)
    MembershipFactory(user=supervising_admin, program=program_a, role=Role.PRIVACY_LEAD)
    access = break_glass.open_break_glass(
        support_request=hidden_request, by=supervising_admin, reason=REASON
    )
    with pytest.raises(DomainError, match="Someone else"):
        break_glass.review_break_glass(
            access=access, by=supervising_admin, outcome=BreakGlassOutcome.JUSTIFIED, note=""
        )


# --- views ------------------------------------------------------------------------------


def test_a_member_outside_scope_sees_the_form_without_the_persons_name(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    client.force_login(supervisor_a)

    response = client.get(page(hidden_request))

    assert response.status_code == 200
    assert "This record is outside your scope" in response.text
    assert "Jordan" not in response.text
    assert AuditEvent.objects.filter(action="privacy.break_glass.offered").count() == 1


def test_strangers_get_a_404_and_learn_nothing(
    client: Client, program_b: Program, hidden_request: SupportRequest, privacy_lead_a: User
) -> None:
    for user in (user_with_role(Role.SUPERVISOR, program_b), privacy_lead_a):
        client.force_login(user)
        assert client.get(page(hidden_request)).status_code in (403, 404)
    client.force_login(user_with_role(Role.SUPERVISOR, program_b))
    assert client.get(reverse("privacy:break_glass", args=[999999])).status_code == 404


def test_opening_asks_for_the_password_first(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    client.force_login(supervisor_a)

    response = client.post(page(hidden_request), {"reason": REASON})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not BreakGlassAccess.objects.exists()


def test_a_wrong_password_opens_nothing(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    client.force_login(supervisor_a)
    client.post(page(hidden_request), {"reason": REASON})

    response = client.post(reverse("account_reauthenticate"), {"password": "not it"})

    assert response.status_code == 200
    assert not BreakGlassAccess.objects.exists()


def test_a_member_states_a_reason_and_sees_the_record_with_a_banner(
    client: Client, supervisor_a: User, privacy_lead_a: User, hidden_request: SupportRequest
) -> None:
    confirmed(client, supervisor_a)

    opened = client.post(page(hidden_request), {"reason": REASON})
    shown = client.get(page(hidden_request))

    assert opened.status_code == 302
    assert "your reason has been sent to the privacy lead" in shown.text
    assert "Jordan" in shown.text
    assert AuditEvent.objects.filter(action="intake.request.viewed").exists()


def test_a_reason_too_short_is_shown_beside_the_form(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    confirmed(client, supervisor_a)

    response = client.post(page(hidden_request), {"reason": "urgent"})

    assert response.status_code == 200
    assert "at least 20 characters" in response.text
    assert not BreakGlassAccess.objects.exists()


def test_after_an_hour_the_record_is_closed_again(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    confirmed(client, supervisor_a)
    client.post(page(hidden_request), {"reason": REASON})

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        client.force_login(supervisor_a)
        response = client.get(page(hidden_request))

    assert "This record is outside your scope" in response.text
    assert "Jordan" not in response.text


def test_the_privacy_lead_reads_the_reason_and_reviews_it(
    client: Client, supervisor_a: User, privacy_lead_a: User, hidden_request: SupportRequest
) -> None:
    access = break_glass.open_break_glass(
        support_request=hidden_request, by=supervisor_a, reason=REASON
    )
    client.force_login(privacy_lead_a)

    listed = client.get(reverse("privacy:break_glass_reviews"))
    shown = client.get(reverse("privacy:break_glass_review", args=[access.pk]))
    saved = client.post(
        reverse("privacy:break_glass_review", args=[access.pk]),
        {"outcome": "not_justified", "note": "Could have waited."},
    )

    assert "Emergency access to review" in listed.text
    assert 'data-testid="break-glass-count">1<' in listed.text
    assert "urgent risk" in shown.text
    assert saved.status_code == 302
    access.refresh_from_db()
    assert access.outcome == BreakGlassOutcome.NOT_JUSTIFIED


def test_another_programs_privacy_lead_cannot_read_the_review(
    client: Client, supervisor_a: User, program_b: Program, hidden_request: SupportRequest
) -> None:
    access = break_glass.open_break_glass(
        support_request=hidden_request, by=supervisor_a, reason=REASON
    )
    client.force_login(user_with_role(Role.PRIVACY_LEAD, program_b))

    assert client.get(reverse("privacy:break_glass_review", args=[access.pk])).status_code == 404
    assert "urgent risk" not in client.get(reverse("privacy:break_glass_reviews")).text


def test_members_other_than_privacy_leads_and_administrators_cannot_review(
    client: Client, supervisor_a: User, coordinator_a: User
) -> None:
    for user in (supervisor_a, coordinator_a):
        client.force_login(user)
        assert client.get(reverse("privacy:break_glass_reviews")).status_code == 403


def test_following_a_link_to_the_request_leads_a_member_outside_scope_to_break_glass(
    client: Client, supervisor_a: User, hidden_request: SupportRequest
) -> None:
    client.force_login(supervisor_a)

    response = client.get(reverse("intake:request_detail", args=[hidden_request.pk]))

    assert response.status_code == 302
    assert response["Location"] == page(hidden_request)


def test_following_a_link_to_another_programs_request_is_still_a_404(
    client: Client, program_b: Program, hidden_request: SupportRequest
) -> None:
    client.force_login(user_with_role(Role.SUPERVISOR, program_b))

    for request_id in (hidden_request.pk, 999999):
        response = client.get(reverse("intake:request_detail", args=[request_id]))
        assert response.status_code == 404
