"""Offboarding: a break, alumni or withdrawn, with a reason; no match is left without a decision."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.models import RequestStatus
from alongside.matches.factories import MatchFactory
from alongside.matches.handover import hand_over_match, return_to_waiting_list
from alongside.matches.models import ClosureReason, Match, MatchStatus
from alongside.matches.services.offboarding import HandOver, offboard_supporter
from alongside.notifications.models import OutboxMessage
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter, SupporterStatus, WithdrawalReason

pytestmark = pytest.mark.django_db


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


# ---- handing a match over -------------------------------------------------------------------


def test_a_match_handed_over_closes_and_a_new_one_starts_for_the_same_request(
    match_a, other_supporter_a, coordinator_a
):
    new = hand_over_match(match=match_a, to_supporter=other_supporter_a, by=coordinator_a)

    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.CLOSED
    assert match_a.closure_reason == ClosureReason.SUPPORTER_UNAVAILABLE
    assert match_a.events.get().detail == f"handed over to match #{new.pk}"
    assert (new.request, new.supporter, new.status) == (
        match_a.request,
        other_supporter_a,
        MatchStatus.ACTIVE,
    )
    assert new.request.status == RequestStatus.MATCHED


def test_the_peer_hears_their_supporter_is_changing_and_the_new_supporter_is_introduced(
    match_a, other_supporter_a, coordinator_a
):
    new = hand_over_match(match=match_a, to_supporter=other_supporter_a, by=coordinator_a)

    peer_message = OutboxMessage.objects.get(
        idempotency_key__startswith="matches.match.handed_over"
    )
    assert peer_message.subject == "Your peer supporter is changing"
    assert "Sam can no longer continue as your peer supporter. Robin" in peer_message.body
    assert OutboxMessage.objects.filter(
        recipient=other_supporter_a.user,
        idempotency_key__startswith=f"matches.match.introduced:{new.pk}:supporter",
    ).exists()


def test_a_hand_over_to_someone_who_cannot_take_it_changes_nothing(
    match_a, coordinator_a, program_a
):
    full = SupporterFactory(program=program_a, max_concurrent_matches=1)
    MatchFactory(program=program_a, supporter=full)

    with pytest.raises(DomainError, match="cannot be matched"):
        hand_over_match(match=match_a, to_supporter=full, by=coordinator_a)

    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE
    assert match_a.request.status == RequestStatus.MATCHED
    assert not OutboxMessage.objects.exists()


def test_a_match_cannot_be_handed_to_the_supporter_leaving_it(match_a, coordinator_a):
    with pytest.raises(DomainError, match="someone other than the supporter who is leaving"):
        hand_over_match(match=match_a, to_supporter=match_a.supporter, by=coordinator_a)


def test_a_closed_match_cannot_be_handed_over(match_a, other_supporter_a, coordinator_a):
    Match.objects.filter(pk=match_a.pk).update(status=MatchStatus.CLOSED)

    with pytest.raises(DomainError, match="already closed"):
        hand_over_match(match=match_a, to_supporter=other_supporter_a, by=coordinator_a)


def test_a_request_returned_to_the_waiting_list_is_waiting_and_due_again(match_a, coordinator_a):
    match_a.request.due_at = timezone.now() - dt.timedelta(days=60)
    match_a.request.save()

    support_request = return_to_waiting_list(match=match_a, by=coordinator_a, note="Moving away")

    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.CLOSED
    assert match_a.closure_note == "Moving away"
    assert match_a.events.get().detail == "returned to the waiting list"
    assert support_request.status == RequestStatus.NEW
    assert support_request.due_at > timezone.now()
    message = OutboxMessage.objects.get()
    assert "finding someone new for you" in message.body


# ---- offboarding ----------------------------------------------------------------------------


def test_a_supporter_without_matches_goes_on_a_break_with_a_reason(supporter_a, coordinator_a):
    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.ON_BREAK,
        reason="Family illness",
        away_until=in_a_month(),
    )

    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.ON_BREAK
    assert supporter_a.status_reason == "Family illness"
    assert supporter_a.away_until == in_a_month()
    assert supporter_a.status_changed_at is not None
    event = AuditEvent.objects.get(action="supporters.supporter.offboarded")
    assert event.data == {"status": "on_break", "handed_over": 0, "returned_to_waiting_list": 0}
    assert "Family" not in str(event.data)


def test_each_open_match_goes_where_the_coordinator_chose(
    supporter_a, other_supporter_a, coordinator_a, match_a, program_a, ms
):
    second = MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)

    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.ALUMNI,
        reason="Finished their year",
        hand_overs=[HandOver(match_a, other_supporter_a), HandOver(second, None)],
    )

    assert (
        Match.objects.get(request=match_a.request, status="active").supporter == other_supporter_a
    )
    second.request.refresh_from_db()
    assert second.request.status == RequestStatus.NEW
    assert not supporter_a.matches.open().exists()
    supporter_a.refresh_from_db()
    assert (supporter_a.status, supporter_a.away_until) == (SupporterStatus.ALUMNI, None)


def test_a_supporter_cannot_leave_while_a_match_has_no_decision(
    supporter_a, coordinator_a, match_a
):
    with pytest.raises(DomainError, match=r"Choose who takes over the match with .* \(#"):
        offboard_supporter(
            supporter=supporter_a,
            by=coordinator_a,
            status=SupporterStatus.WITHDRAWN,
            reason="Moved away",
            withdrawal_reason=WithdrawalReason.MOVED,
        )

    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.ACTIVE


def test_a_refused_hand_over_undoes_everything_and_names_the_match(
    supporter_a, coordinator_a, match_a, program_a, ms
):
    second = MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)
    not_ready = SupporterFactory(program=program_a, status=SupporterStatus.SCREENING)

    with pytest.raises(DomainError, match=rf"The match with .* \(#{second.pk}\): .*cannot be"):
        offboard_supporter(
            supporter=supporter_a,
            by=coordinator_a,
            status=SupporterStatus.WITHDRAWN,
            reason="Moved away",
            withdrawal_reason=WithdrawalReason.MOVED,
            hand_overs=[HandOver(match_a, None), HandOver(second, not_ready)],
        )

    match_a.refresh_from_db()
    supporter_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE
    assert supporter_a.status == SupporterStatus.ACTIVE
    assert not OutboxMessage.objects.exists()


def test_a_decision_about_someone_elses_match_is_refused(
    supporter_a, other_supporter_a, coordinator_a, program_a
):
    theirs = MatchFactory(program=program_a, supporter=other_supporter_a)

    with pytest.raises(DomainError, match="not one of Sam's open matches"):
        offboard_supporter(
            supporter=supporter_a,
            by=coordinator_a,
            status=SupporterStatus.ALUMNI,
            reason="Done",
            hand_overs=[HandOver(theirs, None)],
        )


@pytest.mark.parametrize(
    ("status", "reason", "away_until", "message"),
    [
        ("active", "Why not", None, "Choose on a break, alumni or withdrawn."),
        ("alumni", "   ", None, "Please say why"),
        ("on_break", "Tired", None, "Give the day the break ends"),
        ("on_break", "Tired", "today", "it must be after today"),
    ],
)
def test_the_offboarding_rules(supporter_a, coordinator_a, status, reason, away_until, message):
    with pytest.raises(DomainError, match=message):
        offboard_supporter(
            supporter=supporter_a,
            by=coordinator_a,
            status=status,
            reason=reason,
            away_until=timezone.localdate() if away_until else None,
        )


@pytest.mark.parametrize("chosen", ["", WithdrawalReason.NOT_RECORDED, "bored"])
def test_a_withdrawal_needs_one_of_the_reasons_a_coordinator_chooses_from(
    supporter_a, coordinator_a, chosen
):
    with pytest.raises(DomainError, match="Choose the main reason they withdrew"):
        offboard_supporter(
            supporter=supporter_a,
            by=coordinator_a,
            status=SupporterStatus.WITHDRAWN,
            reason="Left",
            withdrawal_reason=chosen,
        )


def test_a_withdrawal_keeps_its_main_reason_beside_the_note_and_audits_it(
    supporter_a, coordinator_a
):
    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.WITHDRAWN,
        reason="New job with night shifts",
        withdrawal_reason=WithdrawalReason.TIME,
    )

    supporter_a.refresh_from_db()
    assert supporter_a.withdrawal_reason == WithdrawalReason.TIME
    assert supporter_a.status_reason == "New job with night shifts"
    event = AuditEvent.objects.get(action="supporters.supporter.offboarded")
    assert event.data["withdrawal_reason"] == "time"


def test_a_reason_for_withdrawing_is_kept_only_while_withdrawn(supporter_a, coordinator_a):
    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.ALUMNI,
        reason="Finished",
        withdrawal_reason=WithdrawalReason.BURNOUT,
    )
    supporter_a.refresh_from_db()
    assert supporter_a.withdrawal_reason == ""

    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.WITHDRAWN,
        reason="Left after all",
        withdrawal_reason=WithdrawalReason.BURNOUT,
    )
    offboard_supporter(
        supporter=supporter_a, by=coordinator_a, status=SupporterStatus.ALUMNI, reason="Back"
    )
    supporter_a.refresh_from_db()
    assert supporter_a.withdrawal_reason == ""


def test_a_supporter_cannot_be_moved_to_the_status_they_have(supporter_a, coordinator_a):
    supporter_a.status = SupporterStatus.ALUMNI
    supporter_a.save()

    with pytest.raises(DomainError, match="Sam is already alumni"):
        offboard_supporter(supporter=supporter_a, by=coordinator_a, status="alumni", reason="Again")


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a"])
def test_only_the_programs_coordinators_offboard(request, supporter_a, who):
    someone = request.getfixturevalue(who)
    user = someone.user if isinstance(someone, Supporter) else someone

    with pytest.raises(DomainError, match="Only the program's coordinators"):
        offboard_supporter(supporter=supporter_a, by=user, status="alumni", reason="Done")


# ---- the pages ------------------------------------------------------------------------------


def offboard_url(supporter) -> str:
    return reverse("matches:offboard", args=[supporter.pk])


def test_the_offboarding_page_asks_about_each_open_match(
    client, coordinator_a, supporter_a, match_a, other_supporter_a
):
    client.force_login(coordinator_a)

    response = client.get(offboard_url(supporter_a))

    assert response.status_code == 200
    peer = match_a.request.peer.first_name
    assert f"Who takes over the match with {peer} (#{match_a.pk})?" in response.text
    assert f"Nobody yet: return {peer} to the waiting list" in response.text
    assert "Robin" in response.text
    assert "0 of 2 places taken" in response.text


def test_a_coordinator_hands_a_match_over_and_withdraws_the_supporter(
    client, coordinator_a, supporter_a, match_a, other_supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(
        offboard_url(supporter_a),
        {
            "status": "withdrawn",
            "withdrawal_reason": "moved",
            "reason": "Moved away",
            f"match_{match_a.pk}": str(other_supporter_a.pk),
        },
        follow=True,
    )

    assert "Status changed. Their open match went where you chose." in response.text
    assert "Why: Moved away" in response.text
    assert other_supporter_a.matches.open().count() == 1
    supporter_a.refresh_from_db()
    assert supporter_a.withdrawal_reason == WithdrawalReason.MOVED


def test_a_withdrawal_without_its_main_reason_is_explained_and_nothing_changes(
    client, coordinator_a, supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(offboard_url(supporter_a), {"status": "withdrawn", "reason": "Left"})

    assert response.status_code == 200
    assert "Choose the main reason they withdrew." in response.text
    supporter_a.refresh_from_db()
    assert (supporter_a.status, supporter_a.withdrawal_reason) == (SupporterStatus.ACTIVE, "")


def test_leaving_a_match_without_a_decision_is_explained_and_nothing_changes(
    client, coordinator_a, supporter_a, match_a
):
    client.force_login(coordinator_a)

    response = client.post(offboard_url(supporter_a), {"status": "alumni", "reason": "Done"})

    assert response.status_code == 200
    assert "Choose who takes over, or return" in response.text
    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.ACTIVE


def test_a_break_without_an_end_is_explained(client, coordinator_a, supporter_a):
    client.force_login(coordinator_a)

    response = client.post(offboard_url(supporter_a), {"status": "on_break", "reason": "Rest"})

    assert response.status_code == 200
    assert "Give the day the break ends." in response.text


def test_a_refused_hand_over_comes_back_with_its_reasons(
    client, coordinator_a, supporter_a, match_a, program_a
):
    full = SupporterFactory(program=program_a, max_concurrent_matches=1)
    MatchFactory(program=program_a, supporter=full)
    client.force_login(coordinator_a)

    response = client.post(
        offboard_url(supporter_a),
        {"status": "alumni", "reason": "Done", f"match_{match_a.pk}": str(full.pk)},
    )

    assert response.status_code == 200
    assert "cannot be matched" in response.text
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE


def test_another_programs_coordinator_cannot_offboard(client, coordinator_b, supporter_a):
    client.force_login(coordinator_b)

    assert client.get(offboard_url(supporter_a)).status_code == 404
    assert (
        client.post(reverse("supporters:return_from_break", args=[supporter_a.pk])).status_code
        == 404
    )


# ---- choosing who takes over, by searching -----------------------------------------------------


def handover_search(supporter, match, text):
    name = f"match_{match.pk}"
    return reverse("matches:search_handover", args=[supporter.pk]), {
        "name": name,
        f"{name}-search": text,
    }


def test_the_hand_over_search_finds_only_the_programs_other_active_supporters(
    client, coordinator_a, supporter_a, other_supporter_a, match_a, program_a, program_b
):
    SupporterFactory(program=program_b, user__first_name="Robert")
    SupporterFactory(program=program_a, user__first_name="Roberta", status=SupporterStatus.ALUMNI)
    client.force_login(coordinator_a)

    robin = client.get(*handover_search(supporter_a, match_a, "rob")).content.decode()
    themself = client.get(*handover_search(supporter_a, match_a, "sam")).content.decode()

    assert "Robin" in robin
    assert "0 of 2 places taken" in robin
    assert "Robert" not in robin
    assert "Nobody found" in themself


def test_another_programs_coordinator_cannot_search_whom_to_hand_over_to(
    client, coordinator_b, supporter_a, match_a
):
    client.force_login(coordinator_b)

    assert client.get(*handover_search(supporter_a, match_a, "rob")).status_code == 404


def test_handing_over_to_another_programs_supporter_is_refused_and_nothing_changes(
    client, coordinator_a, supporter_a, match_a, program_b
):
    stranger = SupporterFactory(program=program_b)
    client.force_login(coordinator_a)

    response = client.post(
        offboard_url(supporter_a),
        {"status": "alumni", "reason": "Done", f"match_{match_a.pk}": str(stranger.pk)},
    )

    assert response.status_code == 200
    assert "That choice is not one you can make here." in response.text
    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.ACTIVE


def test_a_match_returned_to_the_waiting_list_from_the_page(
    client, coordinator_a, supporter_a, match_a
):
    client.force_login(coordinator_a)

    client.post(
        offboard_url(supporter_a),
        {"status": "alumni", "reason": "Done", f"match_{match_a.pk}": "waiting"},
    )

    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.CLOSED
    assert match_a.request.status == RequestStatus.NEW
