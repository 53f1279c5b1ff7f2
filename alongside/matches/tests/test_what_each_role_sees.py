"""What each role sees keeps the promise written on the forms.

The contact form tells the supporter a private note is read "only by you and the program's
coordinators"; the request form tells the person their details are seen "only by the program's
coordinators and my supporter". Pages, the API and the audit trail keep to it.
"""

import pytest
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Source
from alongside.intake.permissions import can_see_contact_details
from alongside.matches.factories import ContactLogFactory, GoalFactory
from alongside.matches.models import ClosureReason, MatchEvent, MatchEventKind, MatchStatus
from alongside.matches.permissions import can_read_private_note

NOTE = "She told me about the argument with her sister; she asked me to keep it between us."


@pytest.fixture
def contact(match_a):
    return ContactLogFactory(match=match_a, note=NOTE)


@pytest.fixture
def referrer_a(program_a):
    return user_with_role(Role.REFERRER, program_a, email="referrer.a@example.org")


def match_page(client, user, match):
    client.force_login(user)
    response = client.get(reverse("matches:detail", args=[match.pk]))
    assert response.status_code == 200
    return response.text


def test_a_supervisor_sees_the_match_without_the_private_note_or_the_contact_details(
    client, supervisor_a, match_a, contact
):
    page = match_page(client, supervisor_a, match_a)

    peer = match_a.request.peer
    assert "45 minutes" in page  # the contact itself is there, to comment on
    assert NOTE not in page
    assert peer.email not in page
    assert peer.phone not in page
    assert "Their phone and e-mail are seen only by the program" in page


def test_a_supervisor_reads_a_goal_based_matchs_goals_without_links_to_the_goal_pages(
    client, supervisor_a, match_a
):
    match_a.program.is_goal_based = True
    match_a.program.save()
    goal = GoalFactory(match=match_a, description="Walk to the corner shop")

    page = match_page(client, supervisor_a, match_a)

    assert "Walk to the corner shop" in page
    assert reverse("matches:goal", args=[goal.pk]) not in page
    assert reverse("matches:add_goal", args=[match_a.pk]) not in page
    assert client.get(reverse("matches:goal", args=[goal.pk])).status_code == 403


def test_the_supporter_opens_their_matchs_goals_from_its_page(client, supporter_a, match_a):
    match_a.program.is_goal_based = True
    match_a.program.save()
    goal = GoalFactory(match=match_a)

    page = match_page(client, supporter_a.user, match_a)

    assert f'href="{reverse("matches:goal", args=[goal.pk])}"' in page
    assert f'href="{reverse("matches:add_goal", args=[match_a.pk])}"' in page


@pytest.mark.parametrize("who", ["coordinator_a", "administrator"])
def test_the_programs_coordinators_see_the_note_and_the_contact_details(
    request, client, match_a, contact, who
):
    page = match_page(client, request.getfixturevalue(who), match_a)

    peer = match_a.request.peer
    assert NOTE in page
    assert peer.email in page
    assert peer.phone in page


def test_the_supporter_sees_their_own_note_and_how_to_reach_the_person(
    client, supporter_a, match_a, contact
):
    page = match_page(client, supporter_a.user, match_a)

    assert NOTE in page
    assert match_a.request.peer.phone in page


def test_a_note_written_by_a_coordinator_is_not_read_by_the_supporter(
    client, supporter_a, coordinator_a, match_a
):
    written = ContactLogFactory(match=match_a, logged_by=coordinator_a, note=NOTE)

    page = match_page(client, supporter_a.user, match_a)

    assert NOTE not in page
    assert not can_read_private_note(supporter_a.user, written)
    assert can_read_private_note(coordinator_a, written)


def test_the_supporter_no_longer_sees_the_contact_details_once_the_match_is_closed(
    supporter_a, coordinator_a, match_a
):
    assert can_see_contact_details(supporter_a.user, match_a.request)

    match_a.status = MatchStatus.CLOSED
    match_a.closed_at = match_a.started_at
    match_a.save()

    assert not can_see_contact_details(supporter_a.user, match_a.request)
    assert can_see_contact_details(coordinator_a, match_a.request)


def test_another_supporter_of_the_program_is_no_supporter_of_this_person(
    other_supporter_a, match_a, contact
):
    assert not can_see_contact_details(other_supporter_a.user, match_a.request)
    assert not can_read_private_note(other_supporter_a.user, contact)


def test_the_audit_trail_says_what_a_match_page_showed(
    client, supervisor_a, coordinator_a, match_a, contact
):
    match_page(client, supervisor_a, match_a)
    match_page(client, coordinator_a, match_a)

    shown = {
        event.actor_id: event.data
        for event in AuditEvent.objects.filter(action="matches.match.viewed")
    }
    assert shown[supervisor_a.pk] == {"contact_details": False, "private_notes": 0}
    assert shown[coordinator_a.pk] == {"contact_details": True, "private_notes": 1}


def test_a_referrer_is_sent_to_their_own_referral_page_without_the_persons_contact_details(
    client, referrer_a, coordinator_a, program_a, ms
):
    referral = SupportRequestFactory(
        program=program_a, experience=ms, source=Source.REFERRAL, referred_by=referrer_a
    )
    url = reverse("intake:request_detail", args=[referral.pk])
    client.force_login(referrer_a)

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(reverse("referrals:detail", args=[referral.pk]), 302)]
    page = response.text
    assert referral.peer.first_name in page
    assert referral.peer.email not in page
    assert referral.peer.phone not in page
    assert AuditEvent.objects.filter(action="intake.referral.viewed", actor=referrer_a).exists()
    assert not AuditEvent.objects.filter(action="intake.request.viewed", actor=referrer_a).exists()
    client.force_login(coordinator_a)
    assert referral.peer.email in client.get(url).text


def test_the_api_gives_a_supervisor_no_note_and_no_contact_details(
    client, supervisor_a, match_a, contact, request_a
):
    client.force_login(supervisor_a)
    answers = [
        client.get(reverse("api:matches")),
        client.get(reverse("api:waiting_requests")),
        client.get(reverse("api:request_shortlist", args=[request_a.pk])),
    ]

    text = "".join(answer.text for answer in answers)
    assert answers[0].status_code == 200
    assert [item["id"] for item in answers[0].json()["items"]] == [match_a.pk]
    assert answers[1].json()["items"] == []
    assert answers[2].status_code == 404
    for secret in (NOTE, match_a.request.peer.email, match_a.request.peer.phone):
        assert secret not in text


def test_a_closed_matchs_history_names_the_reason_in_words_not_its_code(
    client, coordinator_a, match_a
):
    MatchEvent.objects.create(
        match=match_a,
        kind=MatchEventKind.CLOSED,
        by=coordinator_a,
        at=match_a.started_at,
        detail=ClosureReason.GOALS_MET,
    )

    page = match_page(client, coordinator_a, match_a)

    assert "Goals met" in page
    assert "goals_met" not in page
