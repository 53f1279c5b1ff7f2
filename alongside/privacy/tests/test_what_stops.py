"""A withdrawn consent stops what depended on it: the questionnaires for consent to surveys,
every update to the referrer for consent to sharing with them."""

import pytest
from django.urls import reverse

from alongside.core.consent import GivenHow, Purpose
from alongside.core.errors import DomainError
from alongside.matches.factories import CheckInFactory
from alongside.matches.models import ClosureReason
from alongside.matches.services import closure
from alongside.matches.services.checkins import log_checkin
from alongside.matches.services.lifecycle import start_match
from alongside.notifications.models import OutboxMessage
from alongside.outcomes import services as outcomes
from alongside.outcomes.consent import SURVEYS_CONSENT
from alongside.outcomes.factories import ProgramInstrumentFactory
from alongside.outcomes.models import Occasion, Survey
from alongside.privacy.models import Consent, WithdrawnHow
from alongside.privacy.services import withdraw_consent
from alongside.privacy.tests.conftest import ask
from alongside.referrals.queries import referral_list, what_the_referrers_see
from alongside.referrals.tests.conftest import match_and_close, refer


def survey_links() -> int:
    return OutboxMessage.objects.filter(idempotency_key__startswith="outcomes.survey.sent").count()


def withdraw(support_request, purpose, by):
    consent = Consent.objects.get(support_request=support_request, purpose=purpose)
    return withdraw_consent(consent=consent, by=by, how=WithdrawnHow.PHONE)


def milestone(match, coordinator, month=3):
    log_checkin(
        checkin=CheckInFactory(match=match, month=month),
        by=coordinator,
        method="call",
        with_peer=True,
        with_supporter=True,
        notes="",
    )


# ---- surveys ---------------------------------------------------------------------------------


def test_a_person_who_agreed_to_surveys_is_sent_them(surveying_program, supporter_a, coordinator_a):
    support_request = ask(surveying_program, surveys=True)

    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )

    assert Survey.objects.get(match=match).occasion == Occasion.START
    assert survey_links() == 1


def test_a_person_who_did_not_agree_to_surveys_is_sent_none(
    surveying_program, supporter_a, coordinator_a
):
    support_request = ask(surveying_program, surveys=False)

    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    milestone(match, coordinator_a)

    assert not Survey.objects.exists()
    assert survey_links() == 0


def test_withdrawn_consent_to_surveys_stops_every_survey_after_it(
    surveying_program, supporter_a, coordinator_a
):
    support_request = ask(surveying_program, surveys=True)
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    assert survey_links() == 1

    withdraw(support_request, Purpose.SURVEYS, coordinator_a)
    milestone(match, coordinator_a)
    sent = outcomes.send_surveys(match=match, occasion=Occasion.CLOSURE)

    assert sent == []
    assert list(Survey.objects.values_list("occasion", flat=True)) == [Occasion.START]
    assert survey_links() == 1


def test_a_questionnaire_sent_before_the_withdrawal_no_longer_takes_answers(
    client, surveying_program, supporter_a, coordinator_a
):
    support_request = ask(surveying_program, surveys=True)
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    survey = Survey.objects.get(match=match)
    withdraw(support_request, Purpose.SURVEYS, coordinator_a)

    with pytest.raises(DomainError, match="stop sending you questionnaires"):
        outcomes.answer_survey(
            survey=survey, answers={"companionship": 1, "left_out": 1, "isolated": 1}
        )
    page = client.get(reverse("outcomes:answer", args=[survey.token]))

    assert "This questionnaire is closed" in page.content.decode()
    assert 'name="companionship"' not in page.content.decode()
    survey.refresh_from_db()
    assert not survey.is_answered


def test_withdrawing_another_purpose_leaves_the_surveys_going(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    ProgramInstrumentFactory(program=referring_program)
    support_request = refer(
        referring_program,
        referrer_a,
        who=True,
        also_agreed=[SURVEYS_CONSENT[GivenHow.REFERRER].agreed()],
    )
    withdraw(support_request, Purpose.REFERRER, coordinator_a)

    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )

    assert Survey.objects.get(match=match).occasion == Occasion.START


# ---- sharing with the referrer -----------------------------------------------------------------


def told_referrer(referrer) -> list[str]:
    return sorted(
        set(OutboxMessage.objects.filter(recipient=referrer).values_list("kind", flat=True))
    )


def test_withdrawn_sharing_with_the_referrer_stops_every_update_to_them(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)
    withdraw(support_request, Purpose.REFERRER, coordinator_a)

    match = match_and_close(support_request, supporter_a, coordinator_a)

    assert told_referrer(referrer_a) == []
    assert not match.summary_to_referrer_consented
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()], with_summary=True)
    assert seen.sharing_withdrawn
    assert (seen.matched_with, seen.summary, seen.status_label) == (
        "",
        None,
        "No longer shared with you",
    )


def test_the_referrer_is_still_told_what_the_client_agreed_to_until_it_is_withdrawn(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)

    match_and_close(support_request, supporter_a, coordinator_a)

    assert told_referrer(referrer_a) == ["matches.match.closed", "matches.referral.matched_with"]
    (seen,) = what_the_referrers_see([referral_list(referrer_a).get()], with_summary=True)
    assert not seen.sharing_withdrawn
    assert seen.summary is not None


def test_withdrawing_between_the_start_and_the_end_stops_the_closing_summary(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)
    start_match(support_request=support_request, supporter=supporter_a, started_by=coordinator_a)
    before = OutboxMessage.objects.filter(recipient=referrer_a).count()
    withdraw(support_request, Purpose.REFERRER, coordinator_a)
    support_request.refresh_from_db()

    closure.close_match(
        match=support_request.matches.get(),
        closed_by=coordinator_a,
        reason=ClosureReason.COMPLETED,
        note="",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="",
    )

    assert OutboxMessage.objects.filter(recipient=referrer_a).count() == before
    assert told_referrer(referrer_a) == ["matches.referral.matched_with"]
