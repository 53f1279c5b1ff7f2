"""My page: a supporter's home, gathering what waits for them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.matches.factories import CheckInFactory, HoursReportFactory, MatchFactory
from alongside.matching import services as matching
from alongside.programs.models import TrainingModule
from alongside.supporters.models import TrainingRecord

pytestmark = pytest.mark.django_db


def test_the_home_page_sends_a_supporter_to_my_page(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("my_page")


def test_my_page_comes_first_in_a_supporters_menu(client, supporter_a):
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    menu = page[page.index('aria-label="Main"') :]
    assert menu.index('href="/me/"') < menu.index('href="/matches/"')


def test_staff_are_not_shown_my_page_in_their_menu(client, coordinator_a):
    client.force_login(coordinator_a)

    assert 'href="/me/"' not in client.get(reverse("matching:proposals")).content.decode()


def test_a_waiting_proposal_is_shown_with_its_deadline_instead_of_no_matches_yet(
    client, supporter_a, request_a, coordinator_a
):
    proposal = matching.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a, send=True
    )
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Waiting for my answer" in page
    assert f"Can you support {request_a.peer.first_name}?" in page
    assert "Please answer by" in page
    assert reverse("matching:proposal", args=[proposal.pk]) in page
    assert "No matches yet" not in page


def test_a_supporter_with_nothing_yet_reads_no_matches_yet(client, supporter_a):
    client.force_login(supporter_a.user)

    assert "No matches yet." in client.get(reverse("my_page")).content.decode()


def test_a_silent_match_says_a_contact_is_due(client, supporter_a, program_a):
    MatchFactory(
        program=program_a,
        supporter=supporter_a,
        request__peer__first_name="Jordan",
        started_at=timezone.now() - dt.timedelta(days=program_a.no_contact_nudge_days + 1),
    )
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Jordan" in page
    assert "Contact due now" in page
    assert "Log a contact" in page


def test_a_new_match_says_when_the_next_contact_is_due(client, supporter_a, program_a):
    MatchFactory(program=program_a, supporter=supporter_a)
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Next contact by" in page
    assert "Contact due now" not in page


def test_a_check_in_due_soon_is_shown_on_its_match(client, supporter_a, program_a):
    match = MatchFactory(program=program_a, supporter=supporter_a)
    CheckInFactory(match=match, due_on=timezone.localdate() + dt.timedelta(days=3))
    client.force_login(supporter_a.user)

    assert "1-month check-in due" in client.get(reverse("my_page")).content.decode()


def test_an_hours_report_to_confirm_is_a_button(client, supporter_a):
    report = HoursReportFactory(supporter=supporter_a)
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Confirm my hours for" in page
    assert reverse("matches:hours_report", args=[report.pk]) in page


def test_a_training_running_out_soon_is_flagged(client, supporter_a, program_a):
    module = TrainingModule.objects.create(
        program=program_a, name="Boundaries", competency_areas=["boundaries"]
    )
    TrainingRecord.objects.create(
        supporter=supporter_a,
        module=module,
        completed_on=timezone.localdate() - dt.timedelta(days=700),
        expires_on=timezone.localdate() + dt.timedelta(days=20),
        recorded_at=timezone.now(),
    )
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Boundaries: runs out" in page


def test_upcoming_meetings_and_the_wellbeing_and_debrief_forms_are_on_the_page(
    client, supporter_a, program_a
):
    session = GroupSessionFactory(program=program_a, title="Spring check-in")
    AttendanceFactory(session=session, supporter=supporter_a)
    client.force_login(supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Spring check-in" in page
    assert reverse("supporters:wellbeing", args=[supporter_a.pk]) in page
    assert reverse("supporters:debrief", args=[supporter_a.pk]) in page


def test_another_supporters_proposals_and_matches_are_not_shown(
    client, supporter_a, other_supporter_a, request_a, coordinator_a, program_a
):
    matching.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a, send=True
    )
    MatchFactory(program=program_a, supporter=supporter_a, request__peer__first_name="Jordan")
    client.force_login(other_supporter_a.user)

    page = client.get(reverse("my_page")).content.decode()

    assert "Waiting for my answer" not in page
    assert "Jordan" not in page


def test_my_page_reads_a_bounded_number_of_queries(
    client, supporter_a, program_a, django_assert_max_num_queries
):
    for _number in range(5):
        match = MatchFactory(program=program_a, supporter=supporter_a)
        CheckInFactory(match=match)
    client.force_login(supporter_a.user)

    with django_assert_max_num_queries(40):
        assert client.get(reverse("my_page")).status_code == 200


def test_a_staff_member_cannot_open_my_page(client, program_a):
    client.force_login(user_with_role(Role.COORDINATOR, program_a))

    assert client.get(reverse("my_page")).status_code == 403
