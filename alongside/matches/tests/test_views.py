import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.intake.models import RequestStatus
from alongside.matches.factories import ContactLogFactory, GoalFactory, MatchFactory
from alongside.matches.models import ContactLog, GoalNote, Match, MatchStatus, SupportType
from alongside.programs.models import ContactMethod, Program
from alongside.supporters.factories import SupporterFactory

NOTE = "We talked about pacing the week around the infusions."


def local_input(moment: dt.datetime) -> str:
    """A moment as the datetime-local input sends it, in the viewer's zone (their program's)."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def contact_answers(**overrides) -> dict[str, object]:
    return {
        "occurred_at": local_input(timezone.now() - dt.timedelta(hours=1)),
        "was_made": "yes",
        "minutes": "40",
        "method": ContactMethod.PHONE,
        "support_types": [SupportType.EMOTIONAL, SupportType.PRACTICAL],
        "note": NOTE,
    } | overrides


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# ---- starting a match ----------------------------------------------------------------------


def test_a_coordinator_starts_a_match_and_lands_on_it_with_a_confirmation(
    client, coordinator_a, request_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:start", args=[request_a.pk]), {"supporter": supporter_a.pk}, follow=True
    )

    match = Match.objects.get(request=request_a)
    assert response.redirect_chain == [(reverse("matches:detail", args=[match.pk]), 302)]
    assert response.status_code == 200
    assert messages_of(response) == ["Matched with Sam. Introductions are on their way."]
    request_a.refresh_from_db()
    assert request_a.status == RequestStatus.MATCHED


def test_a_refused_match_goes_back_to_the_request_with_the_reason(
    client, coordinator_a, request_a, supporter_a
):
    supporter_a.away_until = timezone.localdate() + dt.timedelta(days=7)
    supporter_a.save()
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:start", args=[request_a.pk]), {"supporter": supporter_a.pk}, follow=True
    )

    assert response.redirect_chain == [(reverse("intake:request_detail", args=[request_a.pk]), 302)]
    (message,) = messages_of(response)
    assert message.startswith("Sam cannot be matched: is away until")
    assert message in response.content.decode()
    assert not Match.objects.exists()


@pytest.mark.parametrize("chosen", ["", "abc", "999999"])
def test_starting_a_match_without_a_supporter_from_the_list_asks_to_choose_one(
    client, coordinator_a, request_a, chosen
):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:start", args=[request_a.pk]), {"supporter": chosen}, follow=True
    )

    assert messages_of(response) == ["Please choose a supporter from the list."]
    assert not Match.objects.exists()


def test_a_supporter_of_another_program_cannot_be_chosen(
    client, coordinator_a, request_a, program_b
):
    outsider = SupporterFactory(program=program_b)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matches:start", args=[request_a.pk]), {"supporter": outsider.pk}, follow=True
    )

    assert messages_of(response) == ["Please choose a supporter from the list."]
    assert not Match.objects.exists()


def test_matching_a_request_already_matched_says_it_is_no_longer_waiting(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)
    start_url = reverse("matches:start", args=[request_a.pk])
    client.post(start_url, {"supporter": supporter_a.pk}, follow=True)

    response = client.post(start_url, {"supporter": other_supporter_a.pk}, follow=True)

    assert messages_of(response) == ["This request is no longer waiting (matched)."]
    assert Match.objects.count() == 1


# ---- logging a contact ---------------------------------------------------------------------


def test_a_supporter_opens_the_contact_form_for_their_match(client, match_a):
    client.force_login(match_a.supporter.user)

    response = client.get(reverse("matches:log_contact", args=[match_a.pk]))

    assert response.status_code == 200
    assert "Log a contact" in response.content.decode()


def test_a_supporter_logs_a_contact_and_returns_to_the_match(client, match_a):
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]), contact_answers(), follow=True
    )

    assert response.redirect_chain == [(reverse("matches:detail", args=[match_a.pk]), 302)]
    assert messages_of(response) == ["Contact saved."]
    contact = ContactLog.objects.get()
    assert contact.logged_by == match_a.supporter.user
    assert contact.minutes == 40
    assert contact.was_made is True
    assert contact.support_types == [SupportType.EMOTIONAL, SupportType.PRACTICAL]
    assert contact.note == NOTE
    assert AuditEvent.objects.filter(action="matches.contact.logged").count() == 1


def test_an_attempt_that_did_not_reach_them_is_logged_without_minutes(client, match_a):
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]),
        contact_answers(was_made="no", minutes="0", support_types=[]),
    )

    assert response.status_code == 302
    assert ContactLog.objects.get().was_made is False


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"minutes": "abc"}, "Enter a whole number."),
        ({"minutes": "-5"}, "greater than or equal to 0"),
        ({"minutes": "99999"}, "less than or equal to 600"),
        ({"minutes": ""}, "This field is required."),
        ({"occurred_at": "not a date"}, "Enter a valid date/time."),
        ({"occurred_at": "2026-02-30T10:00"}, "Enter a valid date/time."),
        ({"method": "pigeon"}, "Select a valid choice."),
        ({"was_made": "maybe"}, "Select a valid choice."),
        ({"support_types": ["gossip"]}, "Select a valid choice."),
        ({"minutes": "0"}, "If you talked, please give how many minutes it lasted."),
        ({"support_types": []}, "Choose at least one kind of support you gave."),
    ],
    ids=[
        "minutes-abc",
        "minutes-negative",
        "minutes-too-many",
        "minutes-missing",
        "date-nonsense",
        "date-impossible",
        "method-unknown",
        "reached-unknown",
        "support-unknown",
        "talked-zero-minutes",
        "talked-no-support",
    ],
)
def test_bad_contact_answers_come_back_with_a_message_and_never_a_500(
    client, match_a, bad, message
):
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]), contact_answers(**bad)
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "data-error-summary" in content
    assert message in content
    assert not ContactLog.objects.exists()


def test_a_contact_in_the_future_is_refused_with_the_rule_shown_on_the_form(client, match_a):
    client.force_login(match_a.supporter.user)
    tomorrow = timezone.now() + dt.timedelta(days=1)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]),
        contact_answers(occurred_at=local_input(tomorrow)),
    )

    assert response.status_code == 200
    assert "A contact cannot be in the future." in response.content.decode()
    assert not ContactLog.objects.exists()


def test_a_closed_match_refuses_a_contact_with_a_reason(client, match_a):
    match_a.status = MatchStatus.CLOSED
    match_a.save()
    client.force_login(match_a.supporter.user)

    response = client.post(reverse("matches:log_contact", args=[match_a.pk]), contact_answers())

    assert response.status_code == 200
    assert "This match is closed" in response.content.decode()
    assert not ContactLog.objects.exists()


def test_another_supporter_cannot_log_a_contact_on_someone_elses_match(
    client, match_a, other_supporter_a
):
    client.force_login(other_supporter_a.user)

    response = client.post(reverse("matches:log_contact", args=[match_a.pk]), contact_answers())

    assert response.status_code == 404
    assert not ContactLog.objects.exists()


# ---- the match page ------------------------------------------------------------------------


def test_the_coordinator_sees_the_contacts_and_the_hours_on_the_match_page(
    client, coordinator_a, match_a
):
    ContactLogFactory(match=match_a, minutes=45, note=NOTE)
    ContactLogFactory(match=match_a, minutes=45)
    ContactLogFactory(match=match_a, minutes=5, was_made=False, support_types=[])
    client.force_login(coordinator_a)

    response = client.get(reverse("matches:detail", args=[match_a.pk]))

    assert response.status_code == 200
    hours = response.context["hours"]
    assert (hours.hours, hours.contacts_made, hours.attempts) == (
        pytest.approx(1.5),
        2,
        1,
    )
    content = response.content.decode()
    assert content.count('data-testid="contact"') == 3
    assert NOTE in content
    assert "could not reach them" in content
    assert "1.5" in content


def test_the_match_page_shows_twenty_contacts_a_page_in_a_bounded_number_of_queries(
    client, coordinator_a, match_a, django_assert_max_num_queries
):
    start = timezone.now() - dt.timedelta(days=40)
    for day in range(30):
        ContactLogFactory(match=match_a, occurred_at=start + dt.timedelta(days=day), note=NOTE)
    # A goal-based program's page shows its goals and their notes too.
    Program.objects.filter(pk=match_a.program_id).update(is_goal_based=True)
    for _ in range(3):
        goal = GoalFactory(match=match_a)
        GoalNote.objects.create(goal=goal, note="Went twice.", status=goal.status)
    client.force_login(coordinator_a)

    # 15, one for the person's consents (privacy's panel), however many they gave, one for
    # the consents their program asks beside support (whether it sends questionnaires), and one
    # for the legal holds in force on the person or the match.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("matches:detail", args=[match_a.pk]))

    assert response.content.decode().count('data-testid="contact"') == 20
    assert response.context["hours"].contacts_made == 30
    newest = ContactLog.objects.filter(match=match_a).order_by("-occurred_at").first()
    assert response.context["contacts"][0] == newest
    older = client.get(reverse("matches:detail", args=[match_a.pk]), {"page": 2})
    assert older.content.decode().count('data-testid="contact"') == 10
    # Only the notes shown were read, and the audit trail says so.
    event = AuditEvent.objects.filter(action="matches.match.viewed").order_by("pk").last()
    assert event.data["private_notes"] == 10


def test_opening_a_match_is_audited(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    client.get(reverse("matches:detail", args=[match_a.pk]))

    event = AuditEvent.objects.get(action="matches.match.viewed")
    assert event.actor == coordinator_a
    assert event.target_id == str(match_a.pk)


def test_the_match_list_shows_a_supporter_only_their_own_matches(
    client, program_a, match_a, other_supporter_a, ms
):
    MatchFactory(program=program_a, supporter=other_supporter_a, request__experience=ms)
    client.force_login(match_a.supporter.user)

    response = client.get(reverse("matches:list"))

    assert list(response.context["matches"]) == [match_a]


def test_the_match_list_shows_a_coordinator_their_programs_matches(
    client, coordinator_a, program_a, program_b, match_a, other_supporter_a, ms
):
    second = MatchFactory(program=program_a, supporter=other_supporter_a, request__experience=ms)
    MatchFactory(program=program_b, request__experience=ms)
    client.force_login(coordinator_a)

    response = client.get(reverse("matches:list"))

    assert set(response.context["matches"]) == {match_a, second}


def test_the_match_list_of_twenty_matches_takes_a_handful_of_queries(
    client, coordinator_a, program_a, ms, django_assert_max_num_queries
):
    for _ in range(20):
        match = MatchFactory(program=program_a, request__experience=ms)
        ContactLogFactory(match=match)
    client.force_login(coordinator_a)

    # With the programs and sites to filter by, the count, and the page's ids before its rows.
    with django_assert_max_num_queries(9):
        response = client.get(reverse("matches:list"))

    assert len(response.context["matches"]) == 20
