"""Service rules for a match's life: contacts that grow, the plan, check-ins, goals, closure."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus, Source
from alongside.matches.factories import CheckInFactory, ContactLogFactory, GoalFactory, MatchFactory
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    ClosureReason,
    GoalStatus,
    MatchEventKind,
    MatchStatus,
    NoContactAlert,
    NoContactStage,
    SupportType,
)
from alongside.matches.services import checkins, closure, contacts, goals, lifecycle
from alongside.matching.queries import shortlist
from alongside.notifications.models import Channel, OutboxMessage
from alongside.programs.models import ContactMethod
from alongside.resources.factories import ResourceFactory
from alongside.resources.models import Referral
from alongside.safety.models import Escalation

NOTE = "We talked about the new medication."


def log(match, **overrides):
    arguments = {
        "match": match,
        "logged_by": match.supporter.user,
        "occurred_at": timezone.now() - dt.timedelta(hours=1),
        "minutes": 30,
        "method": ContactMethod.PHONE,
        "was_made": True,
        "support_types": [SupportType.EMOTIONAL],
        "note": NOTE,
    } | overrides
    return contacts.log_contact(**arguments)


def close(match, by, **overrides):
    arguments = {
        "match": match,
        "closed_by": by,
        "reason": ClosureReason.COMPLETED,
        "note": "Six good months.",
        "checkin_method": "call",
        "heard_from_peer": True,
        "heard_from_supporter": True,
        "checkin_notes": "Both glad of it.",
    } | overrides
    return closure.close_match(**arguments)


# ---- contacts grow -------------------------------------------------------------------------


def test_an_attempt_is_logged_as_not_made(match_a):
    contact = log(match_a, was_made=False, minutes=0, support_types=[])

    assert contact.was_made is False


def test_a_contact_keeps_its_follow_up_date_and_what_to_follow_up(match_a):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    contact = log(match_a, follow_up_on=tomorrow, follow_up_what="  Call back about the clinic. ")

    assert contact.follow_up_on == tomorrow
    assert contact.follow_up_what == "Call back about the clinic."


def test_a_follow_up_cannot_be_dated_before_the_contact(match_a):
    with pytest.raises(DomainError, match="before the contact"):
        log(match_a, follow_up_on=timezone.localdate() - dt.timedelta(days=3))


def test_resources_shared_in_a_contact_are_counted_with_their_region(match_a, program_a):
    resource = ResourceFactory(program=program_a, region="Ottawa")

    contact = log(match_a, resources=[resource])

    referral = Referral.objects.get()
    assert referral.contact == contact
    assert (referral.resource, referral.program, referral.region) == (
        resource,
        program_a,
        "Ottawa",
    )


def test_a_resource_of_another_program_cannot_be_shared(match_a, program_b):
    with pytest.raises(DomainError, match="directory"):
        log(match_a, resources=[ResourceFactory(program=program_b)])
    assert not Referral.objects.exists()


def test_a_resource_cannot_be_shared_in_an_attempt(match_a, program_a):
    with pytest.raises(DomainError, match="conversation that took place"):
        log(
            match_a,
            was_made=False,
            minutes=0,
            support_types=[],
            resources=[ResourceFactory(program=program_a)],
        )


def test_needing_the_coordinator_raises_an_escalation_beyond_the_supporters_role(match_a):
    contact = log(match_a, needs_coordinator=True, what_happened="They asked about legal help.")

    escalation = Escalation.objects.get()
    assert escalation.urgency == "beyond_role"
    assert escalation.match == match_a
    assert escalation.contact == contact
    assert escalation.raised_by == match_a.supporter.user
    assert contact.needs_coordinator is True


def test_an_urgent_flag_raises_an_urgent_escalation(match_a, coordinator_a):
    log(match_a, needs_coordinator=True, is_urgent=True, what_happened="They spoke of ending it.")

    assert Escalation.objects.get().urgency == "urgent"


def test_needing_the_coordinator_without_saying_what_happened_is_refused_and_nothing_saved(
    match_a,
):
    with pytest.raises(DomainError, match="what happened"):
        log(match_a, needs_coordinator=True, what_happened="  ")

    assert not match_a.contacts.exists()
    assert not Escalation.objects.exists()


def test_a_contact_resolves_the_matchs_open_no_contact_alerts(match_a):
    alert = NoContactAlert.objects.create(
        match=match_a,
        silent_since=match_a.started_at,
        stage=NoContactStage.NUDGED,
        created_at=timezone.now(),
    )

    log(match_a)

    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_a_supervisor_of_the_program_comments_on_a_contact_and_the_supporter_hears(
    match_a, supervisor_a
):
    contact = ContactLogFactory(match=match_a)

    comment = contacts.comment_on_contact(
        contact=contact, author=supervisor_a, body=" Good boundaries here. "
    )

    assert comment.body == "Good boundaries here."
    assert AuditEvent.objects.filter(action="matches.contact.commented").exists()
    message = OutboxMessage.objects.get(recipient=match_a.supporter.user, channel=Channel.IN_APP)
    assert "commented" in message.body


def test_a_supervisor_of_another_program_cannot_comment(match_a, supervisor_b):
    with pytest.raises(DomainError, match="supervisor of this program"):
        contacts.comment_on_contact(
            contact=ContactLogFactory(match=match_a), author=supervisor_b, body="Hello"
        )


def test_a_coordinator_is_not_a_supervisor_for_comments(match_a, coordinator_a):
    with pytest.raises(DomainError, match="supervisor"):
        contacts.comment_on_contact(
            contact=ContactLogFactory(match=match_a), author=coordinator_a, body="Hello"
        )


def test_an_empty_comment_is_refused(match_a, supervisor_a):
    with pytest.raises(DomainError, match="Write a comment"):
        contacts.comment_on_contact(
            contact=ContactLogFactory(match=match_a), author=supervisor_a, body="   "
        )


# ---- the plan ------------------------------------------------------------------------------


def test_starting_a_match_plans_its_milestone_check_ins_from_the_program(
    program_a, request_a, supporter_a, coordinator_a
):
    program_a.checkin_months = [1, 3, 6]
    program_a.save()
    with time_machine.travel(dt.datetime(2026, 1, 31, 15, 0, tzinfo=dt.UTC), tick=False):
        match = lifecycle.start_match(
            support_request=request_a, supporter=supporter_a, started_by=coordinator_a
        )

    assert [(c.kind, c.month, c.due_on) for c in match.checkins.all()] == [
        (CheckInKind.MILESTONE, 1, dt.date(2026, 2, 28)),
        (CheckInKind.MILESTONE, 3, dt.date(2026, 4, 30)),
        (CheckInKind.MILESTONE, 6, dt.date(2026, 7, 31)),
    ]


def test_a_program_without_check_in_months_plans_none(request_a, supporter_a, coordinator_a):
    match = lifecycle.start_match(
        support_request=request_a, supporter=supporter_a, started_by=coordinator_a
    )

    assert not match.checkins.exists()


def test_pausing_and_resuming_are_kept_in_the_history(match_a, coordinator_a):
    lifecycle.pause_match(match=match_a, by=coordinator_a, reason="Surgery")
    resumed = lifecycle.resume_match(match=match_a, by=coordinator_a)

    assert resumed.status == MatchStatus.ACTIVE
    assert [(e.kind, e.detail) for e in match_a.events.all()] == [
        (MatchEventKind.PAUSED, "Surgery"),
        (MatchEventKind.RESUMED, ""),
    ]


def test_a_paused_match_cannot_be_paused_again_nor_an_active_one_resumed(match_a, coordinator_a):
    with pytest.raises(DomainError, match="Only a paused"):
        lifecycle.resume_match(match=match_a, by=coordinator_a)
    lifecycle.pause_match(match=match_a, by=coordinator_a)
    with pytest.raises(DomainError, match="Only an active"):
        lifecycle.pause_match(match=match_a, by=coordinator_a)


def test_contacts_can_still_be_logged_on_a_paused_match(match_a, coordinator_a):
    lifecycle.pause_match(match=match_a, by=coordinator_a)

    assert log(match_a).pk


def test_extending_moves_the_planned_end_later(match_a, coordinator_a):
    match_a.planned_end_on = timezone.localdate() + dt.timedelta(days=10)
    match_a.save()
    later = timezone.localdate() + dt.timedelta(days=60)

    extended = lifecycle.extend_match(match=match_a, by=coordinator_a, until=later)

    assert extended.planned_end_on == later
    assert match_a.events.get().kind == MatchEventKind.EXTENDED


def test_an_extension_must_end_after_the_current_planned_end(match_a, coordinator_a):
    match_a.planned_end_on = timezone.localdate() + dt.timedelta(days=30)
    match_a.save()

    with pytest.raises(DomainError, match="after the planned end"):
        lifecycle.extend_match(
            match=match_a, by=coordinator_a, until=timezone.localdate() + dt.timedelta(days=20)
        )


def test_an_extension_into_the_past_is_refused(match_a, coordinator_a):
    with pytest.raises(DomainError, match="after today"):
        lifecycle.extend_match(
            match=match_a, by=coordinator_a, until=timezone.localdate() - dt.timedelta(days=1)
        )


# ---- check-ins -----------------------------------------------------------------------------


def test_a_coordinator_logs_a_milestone_check_in_with_both_sides(match_a, coordinator_a):
    checkin = CheckInFactory(match=match_a)

    logged = checkins.log_checkin(
        checkin=checkin,
        by=coordinator_a,
        method="form",
        with_peer=True,
        with_supporter=True,
        notes="Going well.",
    )

    assert logged.is_done
    assert (logged.method, logged.with_peer, logged.with_supporter) == ("form", True, True)
    assert logged.done_by == coordinator_a


def test_a_check_in_is_recorded_once(match_a, coordinator_a):
    checkin = CheckInFactory(match=match_a)
    arguments = {"by": coordinator_a, "method": "call", "with_peer": True, "with_supporter": False}
    checkins.log_checkin(checkin=checkin, notes="", **arguments)

    with pytest.raises(DomainError, match="already been recorded"):
        checkins.log_checkin(checkin=checkin, notes="again", **arguments)


def test_a_check_in_must_hear_from_someone(match_a, coordinator_a):
    with pytest.raises(DomainError, match="hears from"):
        checkins.log_checkin(
            checkin=CheckInFactory(match=match_a),
            by=coordinator_a,
            method="call",
            with_peer=False,
            with_supporter=False,
            notes="",
        )


# ---- goals ---------------------------------------------------------------------------------


@pytest.fixture
def goal_match(program_a, supporter_a):
    program_a.is_goal_based = True
    program_a.save()
    return MatchFactory(program=program_a, supporter=supporter_a)


def test_goals_are_agreed_with_a_review_date_in_a_goal_based_program(goal_match, supporter_a):
    review = timezone.localdate() + dt.timedelta(days=30)

    goal = goals.add_goal(
        match=goal_match, by=supporter_a.user, description="Walk to the shop", review_on=review
    )

    assert (goal.status, goal.review_on, goal.description) == (
        GoalStatus.ACTIVE,
        review,
        "Walk to the shop",
    )


def test_a_program_that_does_not_work_toward_goals_refuses_them(match_a, coordinator_a):
    with pytest.raises(DomainError, match="does not work toward goals"):
        goals.add_goal(match=match_a, by=coordinator_a, description="x", review_on=None)


def test_progress_notes_move_a_goal_and_are_kept(goal_match, supporter_a):
    goal = GoalFactory(match=goal_match)

    goals.update_goal(
        goal=goal, by=supporter_a.user, note="Halfway", status=GoalStatus.ACTIVE, review_on=None
    )
    goals.update_goal(
        goal=goal, by=supporter_a.user, note="Did it!", status=GoalStatus.ACHIEVED, review_on=None
    )

    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACHIEVED
    assert [(n.note, n.status) for n in goal.notes.all()] == [
        ("Halfway", GoalStatus.ACTIVE),
        ("Did it!", GoalStatus.ACHIEVED),
    ]


def test_a_progress_note_that_changes_nothing_is_refused(goal_match, supporter_a):
    goal = GoalFactory(match=goal_match)

    with pytest.raises(DomainError, match="progress note"):
        goals.update_goal(
            goal=goal, by=supporter_a.user, note=" ", status=goal.status, review_on=None
        )


def test_closing_for_goals_met_needs_every_goal_settled_and_one_achieved(goal_match, coordinator_a):
    achieved = GoalFactory(match=goal_match, status=GoalStatus.ACHIEVED)
    open_goal = GoalFactory(match=goal_match)
    with pytest.raises(DomainError, match="still being worked on"):
        close(goal_match, coordinator_a, reason=ClosureReason.GOALS_MET)

    open_goal.status = GoalStatus.DROPPED
    open_goal.save()
    closed = close(goal_match, coordinator_a, reason=ClosureReason.GOALS_MET)

    assert closed.closure_reason == ClosureReason.GOALS_MET
    assert achieved.pk


def test_closing_for_goals_met_with_none_achieved_is_refused(goal_match, coordinator_a):
    GoalFactory(match=goal_match, status=GoalStatus.DROPPED)

    with pytest.raises(DomainError, match="No goal is marked achieved"):
        close(goal_match, coordinator_a, reason=ClosureReason.GOALS_MET)


# ---- closure -------------------------------------------------------------------------------


def test_closing_records_the_closure_check_in_the_reason_and_closes_the_request(
    match_a, coordinator_a
):
    closed = close(match_a, coordinator_a, reason=ClosureReason.PERSON_WITHDREW)

    assert closed.status == MatchStatus.CLOSED
    assert closed.closed_at is not None
    assert closed.closure_reason == ClosureReason.PERSON_WITHDREW
    checkin = CheckIn.objects.get(match=match_a, kind=CheckInKind.CLOSURE)
    assert checkin.is_done
    assert checkin.with_peer
    assert checkin.with_supporter
    match_a.request.refresh_from_db()
    assert match_a.request.status == RequestStatus.CLOSED
    assert match_a.events.get().kind == MatchEventKind.CLOSED


def test_closing_keeps_the_match_and_its_contacts(match_a, coordinator_a):
    ContactLogFactory(match=match_a)

    close(match_a, coordinator_a)

    match_a.refresh_from_db()
    assert match_a.contacts.count() == 1


def test_closure_needs_to_hear_from_the_supporter(match_a, coordinator_a):
    with pytest.raises(DomainError, match="hear from the supporter"):
        close(match_a, coordinator_a, heard_from_supporter=False)
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.ACTIVE
    assert not CheckIn.objects.exists()


def test_closure_needs_to_hear_from_the_person_unless_they_could_not_be_reached(
    match_a, coordinator_a
):
    with pytest.raises(DomainError, match="hear from the person"):
        close(match_a, coordinator_a, heard_from_peer=False)

    assert close(match_a, coordinator_a, heard_from_peer=False, reason=ClosureReason.NO_CONTACT)


def test_a_closed_match_cannot_be_closed_again_nor_take_contacts(match_a, coordinator_a):
    close(match_a, coordinator_a)

    with pytest.raises(DomainError, match="already closed"):
        close(match_a, coordinator_a)
    with pytest.raises(DomainError, match="closed"):
        log(match_a)


def test_closing_frees_the_supporters_place_on_the_shortlist(
    program_a, ms, supporter_a, coordinator_a
):
    supporter_a.max_concurrent_matches = 1
    supporter_a.save()
    match = MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)
    waiting = SupportRequestFactory(program=program_a, experience=ms)
    assert supporter_a not in [candidate.supporter for candidate in shortlist(waiting).candidates]

    close(match, coordinator_a)

    assert supporter_a in [candidate.supporter for candidate in shortlist(waiting).candidates]


def test_the_referrer_gets_a_summary_when_the_person_consented(
    program_a, supporter_a, coordinator_a
):
    referrer = coordinator_a.__class__.objects.create_user(email="dr.lee@example.org")
    match = MatchFactory(
        program=program_a,
        supporter=supporter_a,
        request__source=Source.REFERRAL,
        request__referred_by=referrer,
    )
    ContactLogFactory(match=match)

    close(match, coordinator_a, summary_to_referrer_consented=True)

    summary = OutboxMessage.objects.get(recipient=referrer, channel=Channel.EMAIL)
    assert "1 conversations" in summary.body
    assert NOTE not in summary.body
    assert OutboxMessage.objects.filter(recipient=referrer, channel=Channel.IN_APP).exists()


def test_the_referrer_hears_only_that_it_ended_without_consent(
    program_a, supporter_a, coordinator_a
):
    referrer = coordinator_a.__class__.objects.create_user(email="dr.lee@example.org")
    match = MatchFactory(
        program=program_a,
        supporter=supporter_a,
        request__source=Source.REFERRAL,
        request__referred_by=referrer,
    )

    ContactLogFactory(match=match)

    close(match, coordinator_a, summary_to_referrer_consented=False)

    told = OutboxMessage.objects.get(recipient=referrer, channel=Channel.EMAIL)
    assert "has ended" in told.body
    assert "conversations" not in told.body
    assert NOTE not in told.body
