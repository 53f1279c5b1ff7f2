import itertools
import uuid

import pytest

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.intake.referrals import ClientConsent, refer_client
from alongside.matches.services import closure, goals, lifecycle
from alongside.programs.factories import SiteFactory

# Each client their own phone: the same answers again would be taken as the first referral.
PHONES = (f"+1604555{number:04d}" for number in itertools.count(100))
GOALS = ["Find a drop-in group close to home", "Get back to a daily walk"]


@pytest.fixture
def referring_program(program_a):
    """Program A, taking referrals only, goal-based, with one clinic."""
    program_a.accepts_referrals = True
    program_a.accepts_public_requests = False
    program_a.is_goal_based = True
    program_a.save()
    SiteFactory(program=program_a, name="Downtown team")
    return program_a


@pytest.fixture
def referrer_a(referring_program):
    return user_with_role(
        Role.REFERRER, referring_program, email="dr.lee@example.org", first_name="Dana"
    )


def refer(program, referrer, *, who=False, summary=False, **overrides):
    arguments = {
        "program": program,
        "referrer": referrer,
        "submission_token": uuid.uuid4(),
        "first_name": "Kim",
        "last_name": "Tran",
        "preferred_name": "Kimmy",
        "language": "en",
        "contact_methods": ["phone"],
        "phone": next(PHONES),
        "best_times": "Weekday mornings",
        "goals": GOALS,
        "site": program.sites.first(),
        "experience": program.experiences.first(),
        "consent": ClientConsent(
            to_share=True, referrer_may_know_who=who, summary_to_referrer=summary
        ),
    } | overrides
    return refer_client(**arguments)


def match_and_close(support_request, supporter, coordinator):
    match = lifecycle.start_match(
        support_request=support_request, supporter=supporter, started_by=coordinator
    )
    for goal in match.goals.all():
        goals.update_goal(goal=goal, by=coordinator, note="Done", status="achieved", review_on=None)
    closure.close_match(
        match=match,
        closed_by=coordinator,
        reason="goals_met",
        note="They found a group they like.",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="Both glad of it.",
    )
    return match
