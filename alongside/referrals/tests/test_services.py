"""The rules of a referral: who may refer where, the client's consent, and what the referrer
hears back (intake.referrals, and matches.services.referrals when the match starts and ends)."""

import pytest

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.models import ReferralConsent, RequestStatus, Source
from alongside.intake.referrals import REFERRAL_CONSENT, ClientConsent, programs_referred_to_by
from alongside.matches.services import lifecycle
from alongside.notifications.models import Channel, OutboxMessage
from alongside.referrals.queries import referral_list, what_the_referrers_see
from alongside.referrals.tests.conftest import GOALS, match_and_close, refer


def test_a_referral_keeps_the_consent_its_version_and_purpose(referring_program, referrer_a):
    referral = refer(referring_program, referrer_a, who=True, summary=False)

    assert referral.source == Source.REFERRAL
    assert referral.referred_by == referrer_a
    consent = ReferralConsent.objects.get(referral__request=referral)
    assert consent.text_version == REFERRAL_CONSENT.version
    assert consent.purpose == str(REFERRAL_CONSENT.purpose)
    assert consent.shared_with == ["program_team", "peer_support_worker"]
    assert (consent.referrer_may_know_who, consent.summary_to_referrer) == (True, False)
    assert consent.recorded_by == referrer_a
    assert referral.referral.goal_list == GOALS
    assert AuditEvent.objects.filter(
        action="intake.referral.consent_recorded", actor=referrer_a
    ).exists()


def test_the_same_referral_sent_twice_is_recorded_once(referring_program, referrer_a):
    first = refer(referring_program, referrer_a)
    again = refer(referring_program, referrer_a, submission_token=first.submission_token)

    assert again == first
    assert ReferralConsent.objects.count() == 1


def test_a_referral_without_the_clients_consent_to_share_is_refused(referring_program, referrer_a):
    with pytest.raises(DomainError, match="client agrees"):
        refer(
            referring_program,
            referrer_a,
            consent=ClientConsent(
                to_share=False, referrer_may_know_who=True, summary_to_referrer=True
            ),
        )

    assert not ReferralConsent.objects.exists()


def test_a_referral_without_a_goal_is_refused(referring_program, referrer_a):
    with pytest.raises(DomainError, match="at least one goal"):
        refer(referring_program, referrer_a, goals=["  ", ""])


def test_a_referrer_of_program_a_cannot_refer_into_program_b(
    referring_program, referrer_a, program_b
):
    program_b.accepts_referrals = True
    program_b.save()

    with pytest.raises(DomainError, match="not a referrer for"):
        refer(program_b, referrer_a)
    assert programs_referred_to_by(referrer_a) == [referring_program]


def test_a_program_that_takes_no_referrals_refuses_one(referring_program, referrer_a):
    referring_program.accepts_referrals = False
    referring_program.save()

    with pytest.raises(DomainError, match="does not take referrals"):
        refer(referring_program, referrer_a)
    assert programs_referred_to_by(referrer_a) == []


def test_a_coordinator_who_is_not_a_referrer_cannot_refer(referring_program, coordinator_a):
    with pytest.raises(DomainError, match="not a referrer for"):
        refer(referring_program, coordinator_a)


def test_the_goals_written_at_referral_are_the_first_goals_of_the_match(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a)

    match = lifecycle.start_match(
        support_request=referral, supporter=supporter_a, started_by=coordinator_a
    )

    assert [goal.description for goal in match.goals.all()] == GOALS


def test_the_referrer_is_told_the_match_and_with_whom_when_the_client_agreed(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, who=True)

    lifecycle.start_match(support_request=referral, supporter=supporter_a, started_by=coordinator_a)

    told = OutboxMessage.objects.filter(recipient=referrer_a, kind="matches.referral.matched_with")
    assert {message.channel for message in told} == {Channel.EMAIL, Channel.IN_APP}
    assert all("Sam" in message.body for message in told)
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()])
    assert seen.matched_with == "Sam"


def test_the_referrer_is_not_told_with_whom_without_consent(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, who=False)

    lifecycle.start_match(support_request=referral, supporter=supporter_a, started_by=coordinator_a)

    told = OutboxMessage.objects.filter(recipient=referrer_a, kind="matches.referral.matched")
    assert told.count() == 2
    assert not any("Sam" in message.body for message in told)
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()])
    assert seen.is_matched
    assert seen.matched_with == ""


def test_the_closing_summary_reaches_the_referrer_only_with_consent(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, summary=True)

    match_and_close(referral, supporter_a, coordinator_a)

    summary = OutboxMessage.objects.get(
        recipient=referrer_a, kind="matches.match.closed", channel=Channel.EMAIL
    )
    assert "Goals achieved: 2 of 2" in summary.body
    assert "goals met" in summary.body
    assert "They found a group" not in summary.body  # the closing note stays with the program
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()], with_summary=True)
    assert seen.has_ended
    assert seen.summary is not None
    assert (seen.summary.goals_achieved, seen.summary.goals_total) == (2, 2)
    assert seen.summary.reason == "Goals met"


def test_without_consent_the_referrer_hears_only_that_it_ended(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    referral = refer(referring_program, referrer_a, summary=False)

    match = match_and_close(referral, supporter_a, coordinator_a)

    assert not match.summary_to_referrer_consented
    assert not OutboxMessage.objects.filter(kind="matches.match.closed").exists()
    ended = OutboxMessage.objects.get(
        recipient=referrer_a, kind="matches.referral.ended", channel=Channel.EMAIL
    )
    assert "Goals" not in ended.body
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()], with_summary=True)
    assert seen.has_ended
    assert seen.summary is None
    assert referral.__class__.objects.get(pk=referral.pk).status == RequestStatus.CLOSED


def test_a_referrer_no_longer_in_the_program_no_longer_sees_its_referrals(
    referring_program, referrer_a
):
    refer(referring_program, referrer_a)
    referrer_a.memberships.update(is_active=False)

    assert not referral_list(referrer_a).exists()


def test_a_referrer_sees_only_their_own_referrals(referring_program, referrer_a):
    refer(referring_program, referrer_a)
    colleague = user_with_role(Role.REFERRER, referring_program, email="dr.ng@example.org")

    assert not referral_list(colleague).exists()
