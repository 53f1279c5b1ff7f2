"""Who may open what: every URL, walked for every role.

Two halves. The first walks the URL configuration and checks that every view of ours declares
who may use it (`@public` or `@signed_in(...)`), with the third-party URL sets listed, each
with its reason, and tested for what guards them. The second is a table of every one of our
named URLs against every persona, and the status each gets; a URL added without a row fails.
"""

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alongside.accounts.factories import give_authenticator_app, user_with_role
from alongside.accounts.models import Role, User
from alongside.core.access import ACCESS_ATTRIBUTE
from alongside.core.consent import Purpose
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Source
from alongside.matches.factories import (
    CheckInFactory,
    ContactLogFactory,
    GoalFactory,
    HoursReportFactory,
    MatchFactory,
)
from alongside.outcomes.factories import ProgramInstrumentFactory, SurveyFactory
from alongside.privacy.break_glass import open_break_glass
from alongside.privacy.factories import give_consent
from alongside.privacy.recording import fingerprint, may_be_given
from alongside.privacy.services import place_legal_hold
from alongside.programs.factories import SiteFactory
from alongside.resources.factories import ResourceFactory
from alongside.supporters.factories import ApplicationFactory

# Third-party URL sets mounted in config/urls.py, and what guards them instead of our decorators.
THIRD_PARTY_URLS = {
    "admin/": "Django admin: admin_site.admin_view sends anyone who is not staff to its login.",
    "accounts/": "django-allauth: sign-in, sign-out, password reset and MFA guard themselves; "
    "sign-up is closed by InvitationOnlyAccountAdapter.",
    "api/v1/": "django-ninja: NinjaAPI(auth=django_auth) answers 401 to anonymous callers on "
    "every operation, and each operation reads through the same visible_to() queries.",
}
# Of those, the sets whose URL names are not ours to list in the table below.
NOT_IN_THE_TABLE = ("admin/", "accounts/")
# Ninja's own views inside our API namespace: the schema, its docs page, and the root.
API_SCHEMA_VIEWS = {"api:openapi-json", "api:openapi-view", "api:api-root"}


@dataclass(frozen=True)
class Route:
    mounted_under: str  # the first segment of config/urls.py it hangs from ("" for our own)
    route: str
    name: str | None
    callback: Callable[..., Any]


def walk(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: str = "",
    mounted_under: str | None = None,
) -> Iterator[Route]:
    """Every URL pattern, with its full route, its namespaced name and where it is mounted."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        mount = mounted_under
        if mount is None:
            mount = str(pattern.pattern) if str(pattern.pattern) in THIRD_PARTY_URLS else ""
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, route, inner, mount)
        else:
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield Route(mount, route, name, pattern.callback)


def our_named_urls() -> set[str]:
    return {
        route.name
        for route in walk()
        if route.name and not route.mounted_under.startswith(NOT_IN_THE_TABLE)
    }


# ---- Test A: every view declares who may use it --------------------------------------------


def test_the_walk_finds_our_views_and_the_third_party_sets():
    mounts = {route.mounted_under for route in walk()}
    names = {route.name for route in walk()}

    assert {"", *THIRD_PARTY_URLS} <= mounts
    assert {"home", "intake:queue", "matches:detail", "api:matches", "admin:index"} <= names


def test_every_view_outside_the_listed_third_party_sets_declares_who_may_use_it():
    undeclared = [
        f"{route.route} ({route.callback.__module__}.{route.callback.__qualname__})"
        for route in walk()
        if route.mounted_under not in THIRD_PARTY_URLS
        and not hasattr(route.callback, ACCESS_ATTRIBUTE)
    ]

    assert undeclared == []


def test_every_view_in_our_own_code_declares_access_unless_the_admin_guards_it():
    ours = [
        route
        for route in walk()
        if route.callback.__module__.startswith(("alongside.", "config."))
        and route.mounted_under != "admin/"
    ]

    assert ours, "the walk found none of our views"
    assert [route.route for route in ours if not hasattr(route.callback, ACCESS_ATTRIBUTE)] == []


def test_the_language_switcher_is_declared_public():
    (language,) = [route for route in walk() if route.name == "set_language"]

    assert getattr(language.callback, ACCESS_ATTRIBUTE) == "public"


def test_each_third_party_url_set_has_a_stated_reason():
    assert all(len(reason) > 20 for reason in THIRD_PARTY_URLS.values())


def sample_path(route: str) -> str:
    """A concrete path for a route, with 1 in place of every path parameter."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>|\{\w+\}", "1", route)


def api_operations() -> list[Route]:
    return [
        route
        for route in walk()
        if route.mounted_under == "api/v1/" and route.name not in API_SCHEMA_VIEWS
    ]


def test_every_api_operation_refuses_anonymous_callers(client, db):
    operations = api_operations()

    assert operations
    for route in operations:
        response = client.get(sample_path(route.route))
        if response.status_code == 405:  # an operation that only takes a POST
            response = client.post(sample_path(route.route))
        assert response.status_code == 401, route.route


def test_the_admin_sends_every_persona_who_is_not_staff_to_its_login(client, world):
    for persona in PERSONAS:
        client.logout()
        log_in(client, world, persona)

        response = client.get(reverse("admin:index"))

        assert response.status_code == 302, persona
        assert response["Location"].startswith(reverse("admin:login")), persona


def test_the_admin_opens_for_staff(client, db):
    superuser = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    give_authenticator_app(superuser)  # staff sign in with two steps
    client.force_login(superuser)

    assert client.get(reverse("admin:index")).status_code == 200


def test_nobody_can_sign_themselves_up(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "stranger@example.org",
            "password1": "a long pass 1",
            "password2": "a long pass 1",
        },
    )

    assert not User.objects.filter(email="stranger@example.org").exists()


# ---- the personas ------------------------------------------------------------------------------

PERSONAS = (
    "anonymous",
    "peer",
    "supporter",
    "other_supporter",
    "coordinator",
    "other_coordinator",
    "administrator",
    "referrer",
    "privacy_lead",
)


@pytest.fixture
def world(
    program_a,
    program_b,
    coordinator_a,
    coordinator_b,
    administrator,
    supporter_a,
    other_supporter_a,
    peer_user,
    request_a,
    match_a,
    ms,
):
    """Program A with a waiting request and a match; program B with the same, for contrast.
    Program A takes referrals too, and its referrer has referred one client."""
    program_a.accepts_referrals = True
    program_a.save(update_fields=["accepts_referrals"])
    referrer = user_with_role(Role.REFERRER, program_a, email="referrer.a@example.org")
    privacy_lead = user_with_role(Role.PRIVACY_LEAD, program_a, email="privacy.a@example.org")
    return SimpleNamespace(
        program_a=program_a,
        request_a=request_a,
        match_a=match_a,
        request_b=SupportRequestFactory(program=program_b, experience=ms),
        match_b=MatchFactory(program=program_b, request__experience=ms),
        supporter_a=supporter_a,
        application_a=ApplicationFactory(program=program_a),
        referral_a=SupportRequestFactory(
            program=program_a, experience=ms, source=Source.REFERRAL, referred_by=referrer
        ),
        users={
            "anonymous": None,
            "peer": peer_user,
            "supporter": supporter_a.user,
            "other_supporter": other_supporter_a.user,
            "coordinator": coordinator_a,
            "other_coordinator": coordinator_b,
            "administrator": administrator,
            "referrer": referrer,
            "privacy_lead": privacy_lead,
        },
    )


def log_in(client, world, persona: str) -> None:
    user = world.users[persona]
    if user is not None:
        client.force_login(user)


# ---- Test B: every named URL of ours, for every persona --------------------------------------

LOGIN = "302 to the sign-in page"
ELSEWHERE = "302 somewhere else"


def who_gets(
    *,
    anonymous: int | str,
    peer: int | str,
    supporter: int | str,
    other_supporter: int | str,
    coordinator: int | str,
    other_coordinator: int | str,
    administrator: int | str,
    referrer: int | str | None = None,
    privacy_lead: int | str | None = None,
) -> dict[str, int | str]:
    """What each persona gets; a referrer and a privacy lead (of program A, with no other
    role) get what a signed-in person without a role gets unless said otherwise."""
    return {
        "anonymous": anonymous,
        "peer": peer,
        "supporter": supporter,
        "other_supporter": other_supporter,
        "coordinator": coordinator,
        "other_coordinator": other_coordinator,
        "administrator": administrator,
        "referrer": peer if referrer is None else referrer,
        "privacy_lead": peer if privacy_lead is None else privacy_lead,
    }


EVERYONE_200 = who_gets(
    anonymous=200,
    peer=200,
    supporter=200,
    other_supporter=200,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)
EVERYONE_404 = dict.fromkeys(EVERYONE_200, 404)


@dataclass(frozen=True)
class Visit:
    path: Callable[[SimpleNamespace], str]
    expect: dict[str, int | str]
    method: str = "get"
    data: Callable[[SimpleNamespace], dict[str, Any]] = field(default=lambda world: {})


def url(name: str, *args: Callable[[SimpleNamespace], Any]) -> Callable[[SimpleNamespace], str]:
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def program_slug(world):
    return world.program_a.slug


def request_id(world):
    return world.request_a.pk


def supporter_id(world):
    return world.supporter_a.pk


def application_id(world):
    return world.application_a.pk


STAFF_ONLY = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)
PROGRAM_A_STAFF_ONLY = {**STAFF_ONLY, "other_coordinator": 404}
# A form sent empty: program A's staff get the page back with its errors.
PROGRAM_A_STAFF_FORM = PROGRAM_A_STAFF_ONLY


def lived_experience_id(world):
    return world.supporter_a.experiences.get().pk


def match_id(world):
    return world.match_a.pk


def contact_id(world):
    return ContactLogFactory(match=world.match_a).pk


def checkin_id(world):
    return CheckInFactory(match=world.match_a).pk


def goal_id(world):
    return GoalFactory(match=world.match_a).pk


def hours_report_id(world):
    return HoursReportFactory(supporter=world.supporter_a).pk


def resource_id(world):
    return ResourceFactory(program=world.program_a).pk


def survey_token(world):
    return SurveyFactory(match=world.match_a).token


STAFF_OF_A = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=200,
    other_coordinator=404,
    administrator=200,
)
STAFF_ANYWHERE = STAFF_OF_A | {"other_coordinator": 200}
STAFF_OF_A_POSTS = STAFF_OF_A | {"coordinator": ELSEWHERE, "administrator": ELSEWHERE}
WRITERS_OF_A = STAFF_OF_A | {"supporter": 200, "other_supporter": 404}
ANY_ROLE = STAFF_ANYWHERE | {"supporter": 200, "other_supporter": 200}


def _proposal(world, *, accepted: bool = False, draft: bool = False):
    from alongside.matching import services as matching

    proposal = matching.propose(
        support_request=world.request_a,
        supporter=world.supporter_a,
        proposed_by=world.users["coordinator"],
        send=not draft,
        batch=uuid.uuid4() if draft else None,
    )
    if accepted:
        matching.respond(proposal=proposal, supporter_user=world.supporter_a.user, accept=True)
    return proposal


def proposal_id(world):
    """A proposal sent to supporter A for request A (made on first use)."""
    if not hasattr(world, "proposal_a"):
        world.proposal_a = _proposal(world)
    return world.proposal_a.pk


def accepted_proposal_id(world):
    return _proposal(world, accepted=True).pk


def run_batch(world):
    """A finished "match everyone" run of program A holding one draft."""
    from alongside.matching.models import MatchingRun, RunStage, RunStatus

    batch = _proposal(world, draft=True).batch
    MatchingRun.objects.create(
        program=world.program_a,
        batch=batch,
        started_by=world.users["coordinator"],
        status=RunStatus.FINISHED,
        stage=RunStage.DONE,
        waiting=1,
        drafted=1,
    )
    return batch


def running_batch(world):
    """A "match everyone" run of program A under way (made on first use)."""
    from alongside.matching.models import MatchingRun, RunStatus

    if not hasattr(world, "running_run_a"):
        world.running_run_a = MatchingRun.objects.create(
            program=world.program_a, status=RunStatus.RUNNING
        )
    return world.running_run_a.batch


def phone_request_id(world):
    """A request program A's coordinator took by phone (made on first use)."""
    if not hasattr(world, "phone_request_a"):
        world.phone_request_a = SupportRequestFactory(
            program=world.program_a,
            source=Source.PHONE,
            entered_by=world.users["coordinator"],
            experience=world.request_a.experience,
        )
    return world.phone_request_a.pk


def program_a_id(world):
    return world.program_a.pk


def consent_id(world):
    """Request A's person agreed to questionnaires (made on first use)."""
    if not hasattr(world, "consent_a"):
        world.consent_a = give_consent(world.request_a)
    return world.consent_a.pk


def break_glass_access_id(world):
    """A supervisor of program A opened request A in an emergency (on first use)."""
    if not hasattr(world, "break_glass_a"):
        world.break_glass_a = open_break_glass(
            support_request=world.request_a,
            by=user_with_role(Role.SUPERVISOR, world.program_a),
            reason="An urgent risk was reported and nobody else could be reached.",
        )
    return world.break_glass_a.pk


def legal_hold_id(world):
    """A legal hold on match A (placed on first use)."""
    if not hasattr(world, "hold_a"):
        world.hold_a = place_legal_hold(
            by=world.users["coordinator"], reason="A claim.", match=world.match_a
        )
    return world.hold_a.pk


def surveyed_request_id(world):
    """Request A, whose program now sends questionnaires, though its person was never asked
    about them (the program's questionnaire is made on first use)."""
    if not hasattr(world, "instrument_a"):
        world.instrument_a = ProgramInstrumentFactory(program=world.program_a)
    return world.request_a.pk


def words_shown(world):
    """What the page that records a consent to questionnaires shows, as its form sends it."""
    return {"how": "phone", "words": fingerprint(may_be_given(world.request_a)[Purpose.SURVEYS])}


SUPPORTER_ASKED_POSTS = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=ELSEWHERE,
    other_supporter=404,
    coordinator=403,
    other_coordinator=403,
    administrator=403,
)


def escalation_id(world):
    """An escalation the supporter raised on match A (made on first use)."""
    if not hasattr(world, "escalation_a"):
        from alongside.safety.services.escalations import raise_escalation

        world.escalation_a = raise_escalation(
            program=world.program_a,
            raised_by=world.supporter_a.user,
            urgency="urgent",
            what_happened="They said they feel unsafe.",
            match=world.match_a,
        )
    return world.escalation_a.pk


def shift_id(world):
    """An on-call shift of program A's coordinator (made on first use)."""
    if not hasattr(world, "shift_a"):
        from alongside.safety.factories import OnCallShiftFactory

        world.shift_a = OnCallShiftFactory(program=world.program_a, user=world.users["coordinator"])
    return world.shift_a.pk


SAFETY_STAFF_PAGE = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)
SAFETY_STAFF_ACTION = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=ELSEWHERE,
    other_coordinator=404,
    administrator=ELSEWHERE,
)


def group_session_id(world):
    """A check-in meeting of program A, to which supporter A is invited (made on first use)."""
    if not hasattr(world, "group_session_a"):
        from alongside.groups.factories import AttendanceFactory, GroupSessionFactory

        world.group_session_a = GroupSessionFactory(program=world.program_a)
        world.invitation_a = AttendanceFactory(
            session=world.group_session_a, supporter=world.supporter_a
        )
    return world.group_session_a.pk


def invitation_id(world):
    group_session_id(world)
    return world.invitation_a.pk


def pipeline_step_id(world):
    from alongside.programs.models import PipelineStep

    return PipelineStep.objects.create(
        program=world.program_a, name="Interview", kind="interview", order=1
    ).pk


def training_module_id(world):
    from alongside.programs.models import TrainingModule

    return TrainingModule.objects.create(
        program=world.program_a, name="Boundaries", competency_areas=["boundaries"]
    ).pk


def program_id(world):
    return world.program_a.pk


def site_id(world):
    return SiteFactory(program=world.program_a).pk


def message_kind(world):
    """The wording key of a kind of message (a program's own wording is kept under it)."""
    return "intake.request.received"


AUDIT_READERS = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=403,
    other_coordinator=403,
    administrator=200,
    privacy_lead=200,
)
ADMINISTRATORS_ONLY = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=403,
    other_coordinator=403,
    administrator=200,
)


def coordinator_role_id(world):
    """Coordinator A's role in program A, whose sites an administrator of A may change."""
    return world.users["coordinator"].memberships.get(program=world.program_a).pk


def lockout_id(world):
    """Coordinator A locked out of signing in from one address (made on first use)."""
    if not hasattr(world, "lockout_a"):
        from axes.models import AccessAttempt
        from django.conf import settings

        world.lockout_a = AccessAttempt.objects.create(
            username=world.users["coordinator"].email,
            ip_address="198.51.100.1",
            user_agent="test",
            failures_since_start=settings.AXES_FAILURE_LIMIT,
        )
    return world.lockout_a.pk


def api_token_id(world):
    """A token of program A, made by its coordinator (made on first use)."""
    if not hasattr(world, "api_token"):
        import datetime as dt

        from django.utils import timezone

        from alongside.api.tokens import issue_token

        world.api_token, _secret = issue_token(
            program=world.program_a,
            created_by=world.users["coordinator"],
            name="Referral system",
            scopes=["write:referrals"],
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )
    return world.api_token.pk


def job_failure_id(world):
    """A failing item of a periodic job: request A's time-to-match alert (made on first use)."""
    if not hasattr(world, "job_failure"):
        from django.utils import timezone

        from alongside.periodic.models import ItemFailure

        world.job_failure = ItemFailure.objects.create(
            job="check_time_to_match",
            item_model="intake.supportrequest",
            item_pk=world.request_a.pk,
            error_type="RuntimeError",
            first_failed_at=timezone.now(),
            last_failed_at=timezone.now(),
            retry_at=timezone.now(),
        )
    return world.job_failure.pk


def undelivered_message_id(world):
    """A message of program A given up after its attempts (made on first use)."""
    if not hasattr(world, "undelivered_message"):
        from alongside.notifications.models import MessageStatus, OutboxMessage

        world.undelivered_message = OutboxMessage.objects.create(
            program=world.program_a,
            kind="intake.request.received",
            channel="email",
            to_address="sam.peer@example.org",
            body="Thank you for asking.",
            idempotency_key="access-walk:undelivered",
            status=MessageStatus.DEAD,
            attempts=8,
            last_error="SMTPServerDisconnected",
        )
    return world.undelivered_message.pk


def webhook_endpoint_id(world):
    """A webhook endpoint of program A (made on first use)."""
    if not hasattr(world, "webhook_endpoint"):
        from alongside.notifications.webhooks.models import WebhookEndpoint

        world.webhook_endpoint = WebhookEndpoint.objects.create(
            program=world.program_a,
            name="Hospital referrals",
            url="https://partner.example.org/hooks",
            events=["matches.match.started"],
            secret="whsec_" + "A" * 44,
        )
    return world.webhook_endpoint.pk


def given_up_webhook_id(world):
    """A webhook delivery of program A given up after its attempts (made on first use)."""
    if not hasattr(world, "given_up_webhook"):
        from alongside.notifications.models import MessageStatus, OutboxMessage
        from alongside.notifications.webhooks.models import WebhookDelivery

        endpoint_id = webhook_endpoint_id(world)
        world.given_up_webhook = OutboxMessage.objects.create(
            program=world.program_a,
            kind="matches.match.started",
            channel="webhook",
            to_address="https://partner.example.org/hooks",
            body="{}",
            idempotency_key="access-walk:webhook",
            status=MessageStatus.DEAD,
            attempts=8,
            last_error="HTTP 500",
        )
        WebhookDelivery.objects.create(
            message=world.given_up_webhook, endpoint_id=endpoint_id, event_id="evt_1"
        )
    return world.given_up_webhook.pk


def undeliverable_mark_id(world):
    """An address of program A that bounced, standing (made on first use)."""
    if not hasattr(world, "undeliverable_mark"):
        from alongside.notifications.models import UndeliverableAddress

        world.undeliverable_mark = UndeliverableAddress.objects.create(
            program=world.program_a,
            channel="email",
            address="sam.peer@example.org",
            problem="bounced",
        )
    return world.undeliverable_mark.pk


def _invited(world):
    """A person invited to program A, and their invitation's link (made on first use)."""
    if not hasattr(world, "invited_link"):
        from django.utils.http import int_to_base36

        from alongside.accounts.invitations import invitation_tokens
        from alongside.accounts.services import invite_person

        invited = invite_person(email="new.person@example.org", invited_by=None).user
        world.invited_link = (int_to_base36(invited.pk), invitation_tokens.make_token(invited))
    return world.invited_link


def invited_account(world):
    return _invited(world)[0]


def invitation_token(world):
    return _invited(world)[1]


def inbox_message_id(world):
    """An urgent in-app alert to supporter A (made on first use)."""
    if not hasattr(world, "inbox_message"):
        from alongside.notifications.models import MessageStatus, OutboxMessage

        world.inbox_message = OutboxMessage.objects.create(
            program=world.program_a,
            kind="safety.escalation",
            channel="in_app",
            recipient=world.supporter_a.user,
            body="Please look now.",
            idempotency_key="access-walk:inbox",
            status=MessageStatus.SENT,
            urgent=True,
        )
    return world.inbox_message.pk


# Everyone with an account has an inbox; only its recipient may touch a message (404 otherwise).
EVERYONE_SIGNED_IN = {**EVERYONE_200, "anonymous": LOGIN}
EVERYONE_SIGNED_IN_POSTS = dict.fromkeys(EVERYONE_200, ELSEWHERE) | {"anonymous": LOGIN}
ONLY_SUPPORTER_A_POSTS = {**EVERYONE_404, "anonymous": LOGIN, "supporter": ELSEWHERE}


SIGNED_IN_API = who_gets(
    anonymous=401,
    peer=200,
    supporter=200,
    other_supporter=200,
    coordinator=200,
    other_coordinator=200,
    administrator=200,
)

# One record of program A through the API: its staff; a 404 to every other signed-in person.
API_STAFF_OF_A = dict.fromkeys(PERSONAS, 404) | {
    "anonymous": 401,
    "coordinator": 200,
    "administrator": 200,
}
# Match A (its escalation, a session supporter A is invited to) through the API: program A's
# staff and supporter A.
API_STAFF_OF_A_AND_SUPPORTER_A = API_STAFF_OF_A | {"supporter": 200}


def referral_id(world):
    return world.referral_a.pk


# The referrer's own pages: for referrers only (staff refer through a referrer role of their own).
REFERRERS_ONLY = who_gets(
    anonymous=LOGIN,
    peer=403,
    supporter=403,
    other_supporter=403,
    coordinator=403,
    other_coordinator=403,
    administrator=403,
    referrer=200,
)

TABLE: dict[str, Visit] = {
    "matching:propose": Visit(
        url("matching:propose", request_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"supporter": world.supporter_a.pk},
    ),
    "matching:record_conflict": Visit(
        url("matching:record_conflict", request_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"conflict-supporter": world.supporter_a.pk, "conflict-reason": "x"},
    ),
    # A picker's search, asked in place as a coordinator types a name.
    "matching:search_supporters": Visit(url("matching:search_supporters", request_id), STAFF_OF_A),
    "matching:search_waiting_requests": Visit(
        url("matching:search_waiting_requests", supporter_id), STAFF_OF_A
    ),
    "matching:everyone": Visit(url("matching:everyone"), STAFF_ANYWHERE),
    "matching:run_progress": Visit(url("matching:run_progress", running_batch), STAFF_OF_A),
    "matching:run": Visit(url("matching:run", run_batch), STAFF_OF_A),
    "matching:send_run": Visit(url("matching:send_run", run_batch), STAFF_OF_A_POSTS, "post"),
    "matching:proposals": Visit(url("matching:proposals"), STAFF_ANYWHERE),
    "matching:proposal": Visit(url("matching:proposal", proposal_id), WRITERS_OF_A),
    "matching:answer": Visit(
        url("matching:answer", proposal_id),
        SUPPORTER_ASKED_POSTS,
        method="post",
        data=lambda world: {"answer": "yes"},
    ),
    "matching:confirm": Visit(
        url("matching:confirm", accepted_proposal_id), STAFF_OF_A_POSTS, "post"
    ),
    "matching:withdraw": Visit(url("matching:withdraw", proposal_id), STAFF_OF_A_POSTS, "post"),
    "matching:replace": Visit(
        url("matching:replace", proposal_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"supporter": world.supporter_a.pk},
    ),
    "matching:settings": Visit(url("matching:settings", program_a_id), STAFF_OF_A),
    "home": Visit(
        url("home"),
        who_gets(
            anonymous=200,
            peer=200,
            supporter=ELSEWHERE,
            other_supporter=ELSEWHERE,
            coordinator=ELSEWHERE,
            other_coordinator=ELSEWHERE,
            administrator=ELSEWHERE,
            referrer=ELSEWHERE,
            privacy_lead=ELSEWHERE,  # to the audit log
        ),
    ),
    "health": Visit(url("health"), EVERYONE_200),
    "health_live": Visit(url("health_live"), EVERYONE_200),
    "health_ready": Visit(url("health_ready"), EVERYONE_200),
    # Not there without ALONGSIDE_METRICS_TOKEN, whoever asks (alongside/health/tests).
    "health_metrics": Visit(url("health_metrics"), EVERYONE_404),
    "set_language": Visit(
        url("set_language"),
        dict.fromkeys(PERSONAS, ELSEWHERE),
        method="post",
        data=lambda world: {"language": "fr-ca", "next": "/"},
    ),
    "referrals:mine": Visit(url("referrals:mine"), REFERRERS_ONLY),
    "referrals:detail": Visit(url("referrals:detail", referral_id), REFERRERS_ONLY),
    "referrals:choose_program": Visit(
        url("referrals:choose_program"), REFERRERS_ONLY | {"referrer": ELSEWHERE}
    ),
    "referrals:refer": Visit(url("referrals:refer", program_slug), REFERRERS_ONLY),
    "intake:request_support": Visit(url("intake:request_support", program_slug), EVERYONE_200),
    "intake:request_received": Visit(url("intake:request_received", program_slug), EVERYONE_200),
    "intake:queue": Visit(
        url("intake:queue"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=200,
            other_coordinator=200,
            administrator=200,
        ),
    ),
    "reports:dashboard": Visit(
        url("reports:dashboard"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=200,
            other_coordinator=200,
            administrator=200,
        ),
    ),
    "intake:request_detail": Visit(
        url("intake:request_detail", request_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
            referrer=404,  # not one they referred
        ),
    ),
    "intake:take_call": Visit(
        url("intake:take_call"),
        # Each staff member here staffs one program that takes calls: straight to its form.
        STAFF_ANYWHERE
        | dict.fromkeys(("coordinator", "other_coordinator", "administrator"), ELSEWHERE),
    ),
    "intake:take_call_for": Visit(url("intake:take_call_for", program_a_id), STAFF_OF_A),
    "intake:call_taken": Visit(url("intake:call_taken", phone_request_id), STAFF_OF_A),
    "matches:start": Visit(
        url("matches:start", request_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=ELSEWHERE,
            other_coordinator=404,
            administrator=ELSEWHERE,
        ),
        method="post",
        data=lambda world: {"supporter": world.supporter_a.pk},
    ),
    "matches:supporters": Visit(url("matches:supporters"), STAFF_ANYWHERE),
    "matches:list": Visit(
        url("matches:list"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=200,
            coordinator=200,
            other_coordinator=200,
            administrator=200,
        ),
    ),
    "matches:detail": Visit(
        url("matches:detail", match_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "matches:log_contact": Visit(
        url("matches:log_contact", match_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "matches:pause": Visit(url("matches:pause", match_id), STAFF_OF_A_POSTS, method="post"),
    "matches:resume": Visit(url("matches:resume", match_id), STAFF_OF_A_POSTS, method="post"),
    "matches:extend": Visit(url("matches:extend", match_id), STAFF_OF_A),
    "matches:close": Visit(url("matches:close", match_id), STAFF_OF_A),
    "matches:add_goal": Visit(url("matches:add_goal", match_id), WRITERS_OF_A),
    "matches:goal": Visit(url("matches:goal", goal_id), WRITERS_OF_A),
    "matches:checkin": Visit(url("matches:checkin", checkin_id), STAFF_OF_A),
    # Only a supervisor of the program may comment; none of these personas is one.
    "matches:comment": Visit(
        url("matches:comment", contact_id),
        dict.fromkeys(PERSONAS, 403) | {"anonymous": LOGIN},
        method="post",
        data=lambda world: {"body": "A comment"},
    ),
    "matches:hours_reports": Visit(url("matches:hours_reports"), ANY_ROLE),
    "matches:hours_report": Visit(url("matches:hours_report", hours_report_id), WRITERS_OF_A),
    # The queue opens on the first of its lists with something to chase.
    "matches:follow_up": Visit(
        url("matches:follow_up"),
        STAFF_ANYWHERE
        | dict.fromkeys(("coordinator", "other_coordinator", "administrator"), ELSEWHERE),
    ),
    "matches:follow_up_hours": Visit(url("matches:follow_up_hours"), STAFF_ANYWHERE),
    "matches:follow_up_silent": Visit(url("matches:follow_up_silent"), STAFF_ANYWHERE),
    "matches:follow_up_checkins": Visit(url("matches:follow_up_checkins"), STAFF_ANYWHERE),
    "matches:follow_up_asked": Visit(url("matches:follow_up_asked"), STAFF_ANYWHERE),
    "resources:directory": Visit(url("resources:directory"), ANY_ROLE | {"referrer": 200}),
    "resources:add": Visit(url("resources:add"), STAFF_ANYWHERE),
    "resources:edit": Visit(url("resources:edit", resource_id), STAFF_OF_A),
    "resources:import": Visit(url("resources:import"), STAFF_ANYWHERE),
    "resources:referrals": Visit(url("resources:referrals"), STAFF_ANYWHERE),
    # The link is the key: anyone holding it may answer, without an account.
    "outcomes:answer": Visit(url("outcomes:answer", survey_token), EVERYONE_200),
    # Withdrawing a person's consent, on their request: program A's staff only.
    "privacy:withdraw": Visit(
        url("privacy:withdraw", consent_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"how": "phone"},
    ),
    # Recording a consent the person gives later, on their request: program A's staff only.
    "privacy:record": Visit(
        lambda world: reverse("privacy:record", args=[surveyed_request_id(world), "surveys"]),
        STAFF_OF_A_POSTS,
        method="post",
        data=words_shown,
    ),
    # A program's retention and its dry run: the staff who change its settings.
    "privacy:retention": Visit(url("privacy:retention", program_id), STAFF_OF_A),
    "privacy:retention_dry_run": Visit(url("privacy:retention_dry_run", program_id), STAFF_OF_A),
    # Placing and lifting a legal hold, from a person's request or a match: program A's staff.
    "privacy:hold_person": Visit(
        url("privacy:hold_person", request_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"reason": "A complaint is open."},
    ),
    "privacy:hold_match": Visit(
        url("privacy:hold_match", match_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"reason": "A claim."},
    ),
    "privacy:lift_hold": Visit(
        url("privacy:lift_hold", legal_hold_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"reason": "Settled."},
    ),
    # A person's copy and their erasure, on their request: program A's staff, the download and
    # the erasure after confirming it is them (force_login has not: sent to confirm first).
    "privacy:person_copy": Visit(url("privacy:person_copy", request_id), STAFF_OF_A),
    "privacy:person_copy_download": Visit(
        url("privacy:person_copy_download", request_id, lambda world: "json"), STAFF_OF_A_POSTS
    ),
    "privacy:erase_person": Visit(url("privacy:erase_person", request_id), STAFF_OF_A_POSTS),
    "outcomes:figures": Visit(url("outcomes:figures"), STAFF_ANYWHERE),
    "reports:funder": Visit(url("reports:funder"), STAFF_ANYWHERE),
    "reports:funder_pdf": Visit(url("reports:funder_pdf"), STAFF_ANYWHERE),
    "reports:funder_xlsx": Visit(url("reports:funder_xlsx"), STAFF_ANYWHERE),
    "outcomes:export": Visit(url("outcomes:export", program_slug), STAFF_OF_A),
    # A list's export: staff anywhere, each their own programs' rows, after confirming it is
    # them (the export of a list holding personal data sends them to confirm first).
    "reports:export": Visit(
        url("reports:export", lambda world: "requests"),
        STAFF_ONLY
        | {"coordinator": ELSEWHERE, "other_coordinator": ELSEWHERE, "administrator": ELSEWHERE},
    ),
    # The audit log: privacy leads and administrators, each their own programs' events.
    "privacy:audit_log": Visit(url("privacy:audit_log"), AUDIT_READERS),
    # Break-glass: a request outside one's scope, for a member of its program whose scope hides
    # it (no persona here: program A's staff see request A, so it is not break-glass, 404);
    # its review, for the privacy leads and administrators of the access's program.
    "privacy:break_glass": Visit(
        url("privacy:break_glass", request_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=403,
            other_supporter=403,
            coordinator=404,
            other_coordinator=404,
            administrator=404,
        ),
    ),
    "privacy:break_glass_reviews": Visit(url("privacy:break_glass_reviews"), AUDIT_READERS),
    "privacy:break_glass_review": Visit(
        url("privacy:break_glass_review", break_glass_access_id), AUDIT_READERS
    ),
    "outcomes:choose_instruments": Visit(
        url("outcomes:choose_instruments", program_slug), STAFF_OF_A
    ),
    "safety:raise_for_match": Visit(
        url("safety:raise_for_match", match_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "safety:escalation_list": Visit(url("safety:escalation_list"), SAFETY_STAFF_PAGE),
    "safety:escalation_detail": Visit(
        url("safety:escalation_detail", escalation_id),
        who_gets(
            anonymous=LOGIN,
            peer=404,
            supporter=200,
            other_supporter=404,
            coordinator=200,
            other_coordinator=404,
            administrator=200,
        ),
    ),
    "safety:acknowledge": Visit(
        url("safety:acknowledge", escalation_id), SAFETY_STAFF_ACTION, method="post"
    ),
    "safety:add_note": Visit(
        url("safety:add_note", escalation_id),
        SAFETY_STAFF_ACTION,
        method="post",
        data=lambda world: {"note": "Called them."},
    ),
    "safety:resolve": Visit(
        url("safety:resolve", escalation_id),
        SAFETY_STAFF_ACTION,
        method="post",
        data=lambda world: {"outcome": "Safe with family."},
    ),
    "safety:rota": Visit(url("safety:rota"), SAFETY_STAFF_PAGE),
    "safety:remove_shift": Visit(
        url("safety:remove_shift", shift_id), SAFETY_STAFF_ACTION, method="post"
    ),
    "safety:urgent_contact": Visit(url("safety:urgent_contact"), SAFETY_STAFF_PAGE),
    "supporters:apply": Visit(url("supporters:apply", program_slug), EVERYONE_200),
    "supporters:applied": Visit(url("supporters:applied", program_slug), EVERYONE_200),
    "supporters:board": Visit(url("supporters:board"), STAFF_ONLY),
    "supporters:board_advance": Visit(
        url("supporters:board_advance"),
        {
            **STAFF_ONLY,
            "coordinator": ELSEWHERE,
            "other_coordinator": ELSEWHERE,
            "administrator": ELSEWHERE,
        },
        method="post",
        data=lambda world: {"supporter": world.supporter_a.pk},
    ),
    "supporters:import": Visit(url("supporters:import"), STAFF_ONLY),
    "supporters:detail": Visit(url("supporters:detail", supporter_id), PROGRAM_A_STAFF_ONLY),
    "supporters:record_step": Visit(
        url("supporters:record_step", supporter_id), PROGRAM_A_STAFF_FORM, method="post"
    ),
    "supporters:record_check": Visit(
        url("supporters:record_check", supporter_id), PROGRAM_A_STAFF_FORM, method="post"
    ),
    "supporters:record_training": Visit(
        url("supporters:record_training", supporter_id), PROGRAM_A_STAFF_FORM, method="post"
    ),
    "matching:match_supporter": Visit(
        url("matching:match_supporter", supporter_id), PROGRAM_A_STAFF_FORM, method="post"
    ),
    "supporters:application": Visit(
        url("supporters:application", application_id), PROGRAM_A_STAFF_ONLY
    ),
    "supporters:wellbeing": Visit(
        url("supporters:wellbeing", supporter_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=ELSEWHERE,
            other_supporter=404,
            coordinator=403,
            other_coordinator=403,
            administrator=403,
        ),
        method="post",
        data=lambda world: {f"wellbeing-{world.supporter_a.pk}-score": "4"},
    ),
    "supporters:debrief": Visit(
        url("supporters:debrief", supporter_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=ELSEWHERE,
            other_supporter=404,
            coordinator=403,
            other_coordinator=403,
            administrator=403,
        ),
        method="post",
    ),
    "my_page": Visit(
        url("my_page"),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=200,
            other_supporter=200,
            coordinator=403,
            other_coordinator=403,
            administrator=403,
        ),
    ),
    # A supporter keeps their own profile; their program's staff keep anyone's.
    "supporters:choose_supervisor": Visit(
        url("supporters:choose_supervisor", supporter_id), STAFF_OF_A_POSTS, method="post"
    ),
    "supporters:profile": Visit(url("supporters:profile", supporter_id), WRITERS_OF_A),
    "supporters:add_experience": Visit(
        url("supporters:add_experience", supporter_id), WRITERS_OF_A, method="post"
    ),
    "matches:offboard": Visit(url("matches:offboard", supporter_id), STAFF_OF_A),
    "matches:search_handover": Visit(url("matches:search_handover", supporter_id), STAFF_OF_A),
    "supporters:return_from_break": Visit(
        url("supporters:return_from_break", supporter_id), STAFF_OF_A_POSTS, method="post"
    ),
    # Supervisors and coordinators supervise; none of these personas is a supervisor, and an
    # administrator configures rather than supervises.
    "supporters:supervisees": Visit(
        url("supporters:supervisees"), STAFF_ANYWHERE | {"administrator": 403}
    ),
    "supporters:supervision": Visit(
        url("supporters:supervision", supporter_id), STAFF_OF_A | {"administrator": 403}
    ),
    "supporters:remove_experience": Visit(
        url("supporters:remove_experience", supporter_id, lived_experience_id),
        WRITERS_OF_A
        | {"supporter": ELSEWHERE, "coordinator": ELSEWHERE, "administrator": ELSEWHERE},
        method="post",
    ),
    "groups:list": Visit(url("groups:list"), STAFF_ANYWHERE),
    "groups:past": Visit(url("groups:past"), STAFF_ANYWHERE),
    "groups:schedule": Visit(url("groups:schedule"), STAFF_ANYWHERE),
    "groups:detail": Visit(url("groups:detail", group_session_id), STAFF_OF_A),
    "groups:edit": Visit(url("groups:edit", group_session_id), STAFF_OF_A),
    "groups:cancel": Visit(url("groups:cancel", group_session_id), STAFF_OF_A),
    "groups:invite": Visit(url("groups:invite", group_session_id), STAFF_OF_A),
    # The invite page's picker, asked in place as a coordinator types a name.
    "groups:search_invitees": Visit(url("groups:search_invitees", group_session_id), STAFF_OF_A),
    "groups:attendance": Visit(url("groups:attendance", group_session_id), STAFF_OF_A),
    # Staff of the program, and the supporters invited to the session.
    "groups:calendar": Visit(url("groups:calendar", group_session_id), WRITERS_OF_A),
    # Only the supporter invited answers their own invitation.
    "groups:answer": Visit(
        url("groups:answer", invitation_id),
        who_gets(
            anonymous=LOGIN,
            peer=403,
            supporter=ELSEWHERE,
            other_supporter=404,
            coordinator=403,
            other_coordinator=403,
            administrator=403,
        ),
        method="post",
        data=lambda world: {"answer": "coming"},
    ),
    "programs:settings_index": Visit(url("programs:settings_index"), STAFF_ANYWHERE),
    "programs:settings": Visit(url("programs:settings", program_id), STAFF_OF_A),
    "programs:add_step": Visit(url("programs:add_step", program_id), STAFF_OF_A),
    "programs:edit_step": Visit(url("programs:edit_step", pipeline_step_id), STAFF_OF_A),
    "programs:move_step": Visit(
        url("programs:move_step", pipeline_step_id),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"direction": "down"},
    ),
    "programs:retire_step": Visit(
        url("programs:retire_step", pipeline_step_id), STAFF_OF_A_POSTS, method="post"
    ),
    "programs:add_module": Visit(url("programs:add_module", program_id), STAFF_OF_A),
    "programs:new_program": Visit(url("programs:new_program"), ADMINISTRATORS_ONLY),
    "programs:edit_general": Visit(url("programs:edit_general", program_id), STAFF_OF_A),
    "programs:edit_languages": Visit(url("programs:edit_languages", program_id), STAFF_OF_A),
    "programs:edit_rules": Visit(url("programs:edit_rules", program_id), STAFF_OF_A),
    "programs:edit_schedule": Visit(url("programs:edit_schedule", program_id), STAFF_OF_A),
    "programs:edit_safety": Visit(url("programs:edit_safety", program_id), STAFF_OF_A),
    "programs:edit_reporting": Visit(url("programs:edit_reporting", program_id), STAFF_OF_A),
    "programs:add_site": Visit(url("programs:add_site", program_id), STAFF_OF_A),
    "programs:edit_site": Visit(url("programs:edit_site", site_id), STAFF_OF_A),
    "programs:team": Visit(url("programs:team", program_id), ADMINISTRATORS_ONLY),
    "programs:team_role_sites": Visit(
        url("programs:team_role_sites", coordinator_role_id), ADMINISTRATORS_ONLY
    ),
    "programs:appoint_coordinator": Visit(
        url("programs:appoint_coordinator", program_id), ADMINISTRATORS_ONLY
    ),
    "programs:edit_module": Visit(url("programs:edit_module", training_module_id), STAFF_OF_A),
    "programs:retire_module": Visit(
        url("programs:retire_module", training_module_id), STAFF_OF_A_POSTS, method="post"
    ),
    # Sign-in locks: installation security, for administrators only.
    "accounts:lockouts": Visit(url("accounts:lockouts"), ADMINISTRATORS_ONLY),
    # Everyone with an account keeps their own time zone and language there.
    "accounts:settings": Visit(url("accounts:settings"), EVERYONE_200 | {"anonymous": LOGIN}),
    # A lock of coordinator A (made on first use); the administrator lifts it.
    "accounts:lift_lockout": Visit(
        url("accounts:lift_lockout", lockout_id),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
        method="post",
    ),
    # Background jobs: the installation's periodic work, for administrators only.
    "periodic:jobs": Visit(url("periodic:jobs"), ADMINISTRATORS_ONLY),
    "periodic:retry_now": Visit(
        url("periodic:retry_now", job_failure_id),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
        method="post",
    ),
    # Undelivered messages: program A's, for its administrators only (a coordinator is refused).
    "notifications:undelivered": Visit(url("notifications:undelivered"), ADMINISTRATORS_ONLY),
    "notifications:send_again": Visit(
        url("notifications:send_again", undelivered_message_id),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
        method="post",
    ),
    # Webhooks: program A's endpoints and the deliveries given up, for its administrators only.
    "notifications:webhook_endpoints": Visit(
        url("notifications:webhook_endpoints", program_id), ADMINISTRATORS_ONLY
    ),
    "notifications:add_webhook_endpoint": Visit(
        url("notifications:add_webhook_endpoint", program_id), ADMINISTRATORS_ONLY
    ),
    "notifications:given_up_webhooks": Visit(
        url("notifications:given_up_webhooks", program_id), ADMINISTRATORS_ONLY
    ),
    "notifications:edit_webhook_endpoint": Visit(
        url("notifications:edit_webhook_endpoint", webhook_endpoint_id), ADMINISTRATORS_ONLY
    ),
    "notifications:rotate_webhook_secret": Visit(
        url("notifications:rotate_webhook_secret", webhook_endpoint_id), ADMINISTRATORS_ONLY
    ),
    # The new secret, once, right after it is made; else back to the endpoint.
    "notifications:webhook_secret": Visit(
        url("notifications:webhook_secret", webhook_endpoint_id),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
    ),
    "notifications:send_test_webhook": Visit(
        url("notifications:send_test_webhook", webhook_endpoint_id),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
        method="post",
    ),
    "notifications:send_webhook_again": Visit(
        url("notifications:send_webhook_again", given_up_webhook_id), ADMINISTRATORS_ONLY
    ),
    # Undeliverable addresses: program A's, for its coordinators and administrators, who clear.
    "notifications:undeliverable": Visit(url("notifications:undeliverable"), STAFF_ANYWHERE),
    "notifications:clear_undeliverable": Visit(
        url("notifications:clear_undeliverable", undeliverable_mark_id),
        STAFF_OF_A_POSTS,
        method="post",
    ),
    # The providers' webhooks: no session opens them, only the provider's secret or signature.
    "notifications:email_events": Visit(
        lambda world: reverse("notifications:email_events", args=["postmark"]),
        dict.fromkeys(EVERYONE_200, 401),
        method="post",
    ),
    "notifications:sms_status": Visit(
        url("notifications:sms_status"), dict.fromkeys(EVERYONE_200, 403), method="post"
    ),
    # Messages' wording: program A's, for its staff; every program's, for administrators.
    "notifications:wording": Visit(url("notifications:wording", program_id), STAFF_OF_A),
    "notifications:edit_wording": Visit(
        url("notifications:edit_wording", program_id, message_kind), STAFF_OF_A
    ),
    "notifications:revert_wording": Visit(
        url("notifications:revert_wording", program_id, message_kind),
        STAFF_OF_A_POSTS,
        method="post",
        data=lambda world: {"language": "fr"},
    ),
    "notifications:installation_wording": Visit(
        url("notifications:installation_wording"), ADMINISTRATORS_ONLY
    ),
    "notifications:edit_installation_wording": Visit(
        url("notifications:edit_installation_wording", message_kind), ADMINISTRATORS_ONLY
    ),
    "notifications:revert_installation_wording": Visit(
        url("notifications:revert_installation_wording", message_kind),
        ADMINISTRATORS_ONLY | {"administrator": ELSEWHERE},
        method="post",
        data=lambda world: {"language": "fr"},
    ),
    # The invitation's link is the key: whoever holds it chooses the password, signed in or not.
    "accounts:invitation": Visit(
        url("accounts:invitation", invited_account, invitation_token), EVERYONE_200
    ),
    # A new link only for an expired one; a link that still works is sent back to itself.
    "accounts:renew_invitation": Visit(
        url("accounts:renew_invitation", invited_account, invitation_token),
        dict.fromkeys(PERSONAS, ELSEWHERE),
        method="post",
    ),
    "notifications:inbox": Visit(url("notifications:inbox"), EVERYONE_SIGNED_IN),
    "notifications:mark_all_read": Visit(
        url("notifications:mark_all_read"), EVERYONE_SIGNED_IN_POSTS, method="post"
    ),
    "notifications:mark_read": Visit(
        url("notifications:mark_read", inbox_message_id), ONLY_SUPPORTER_A_POSTS, method="post"
    ),
    "notifications:acknowledge": Visit(
        url("notifications:acknowledge", inbox_message_id), ONLY_SUPPORTER_A_POSTS, method="post"
    ),
    "api:waiting_requests": Visit(url("api:waiting_requests"), SIGNED_IN_API),
    "api:matches": Visit(url("api:matches"), SIGNED_IN_API),
    "api:request_shortlist": Visit(
        url("api:request_shortlist", request_id),
        SIGNED_IN_API
        | dict.fromkeys(
            (
                "peer",
                "supporter",
                "other_supporter",
                "other_coordinator",
                "referrer",
                "privacy_lead",
            ),
            404,
        ),
    ),
    # The reads partners need (alongside/api/read): lists show each caller what their pages
    # show (an empty list to people without a role there); one record is a 404 to anyone
    # whose pages do not show it.
    "api:programs": Visit(url("api:programs"), SIGNED_IN_API),
    "api:program": Visit(url("api:program", program_id), API_STAFF_OF_A),
    "api:request_detail": Visit(url("api:request_detail", request_id), API_STAFF_OF_A),
    "api:supporters": Visit(url("api:supporters"), SIGNED_IN_API),
    "api:supporter": Visit(url("api:supporter", supporter_id), API_STAFF_OF_A),
    "api:match_detail": Visit(url("api:match_detail", match_id), API_STAFF_OF_A_AND_SUPPORTER_A),
    "api:match_contacts": Visit(
        url("api:match_contacts", match_id), API_STAFF_OF_A_AND_SUPPORTER_A
    ),
    "api:match_goals": Visit(url("api:match_goals", match_id), API_STAFF_OF_A_AND_SUPPORTER_A),
    "api:request_proposals": Visit(url("api:request_proposals", request_id), API_STAFF_OF_A),
    "api:escalations": Visit(url("api:escalations"), SIGNED_IN_API),
    "api:hours_reports": Visit(url("api:hours_reports"), SIGNED_IN_API),
    "api:resources": Visit(url("api:resources"), SIGNED_IN_API),
    "api:group_sessions": Visit(url("api:group_sessions"), SIGNED_IN_API),
    "api:program_outcomes": Visit(url("api:program_outcomes", program_id), API_STAFF_OF_A),
    "api:program_insight": Visit(url("api:program_insight", program_id), API_STAFF_OF_A),
    # Supporter A is invited to it: they read it, as on its page.
    "api:group_session": Visit(
        url("api:group_session", group_session_id), API_STAFF_OF_A_AND_SUPPORTER_A
    ),
    # The supporter raised it: they read it, as on its page.
    "api:escalation": Visit(url("api:escalation", escalation_id), API_STAFF_OF_A_AND_SUPPORTER_A),
    # A referral posted with the session: the walk's form-encoded body is not JSON (400) once
    # the caller is known; who may refer where is tested in alongside/api/tests.
    "api:create_referral": Visit(
        url("api:create_referral", program_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    # Requests (taken on the phone, or made on a partner's form), posted with the session: the
    # walk's form-encoded body is not JSON (400) once the caller is known; who may post where is
    # tested in alongside/api/tests.
    "api:create_phone_request": Visit(
        url("api:create_phone_request", program_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    "api:create_online_request": Visit(
        url("api:create_online_request", program_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    # A contact logged on a match with the session: 400 (not JSON) for whoever may log on it,
    # 404 for the others, as for the page (alongside/api/tests says who may log where).
    "api:create_contact": Visit(
        url("api:create_contact", match_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    "api:confirm_hours": Visit(
        url("api:confirm_hours", hours_report_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    "api:answer_proposal": Visit(
        url("api:answer_proposal", proposal_id),
        dict.fromkeys(PERSONAS, 400) | {"anonymous": 401},
        method="post",
    ),
    # A program's API tokens: the staff who change its settings.
    "api_tokens:list": Visit(url("api_tokens:list", program_id), STAFF_OF_A),
    "api_tokens:new": Visit(url("api_tokens:new", program_id), STAFF_OF_A),
    "api_tokens:revoke": Visit(
        url("api_tokens:revoke", api_token_id), STAFF_OF_A_POSTS, method="post"
    ),
    # The schema and its docs page describe the endpoints and hold no program data.
    "api:openapi-json": Visit(url("api:openapi-json"), EVERYONE_200),
    "api:openapi-view": Visit(url("api:openapi-view"), EVERYONE_200),
    "api:api-root": Visit(url("api:api-root"), EVERYONE_404),
}


def test_the_table_has_a_row_for_every_named_url_of_ours_and_no_other():
    assert set(TABLE) == our_named_urls()


def test_every_row_of_the_table_says_what_every_persona_gets():
    assert [name for name, visit in TABLE.items() if set(visit.expect) != set(PERSONAS)] == []


@pytest.mark.parametrize(
    ("url_name", "persona"), [(name, persona) for name in TABLE for persona in PERSONAS]
)
def test_who_gets_what(client, world, url_name, persona):
    visit = TABLE[url_name]
    log_in(client, world, persona)

    response = getattr(client, visit.method)(visit.path(world), visit.data(world))

    expected = visit.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif expected == ELSEWHERE:
        assert response.status_code == 302
        assert not response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected


# Actions that send messages or cannot be undone ask first: their GET is the page that says what
# will happen, for those who may act (whom the action's POST sends elsewhere), changing nothing.
ASKS_FIRST = (
    "matches:start",
    "privacy:withdraw",
    "privacy:record",
    "privacy:hold_person",
    "privacy:hold_match",
    "privacy:lift_hold",
    "matching:withdraw",
    "safety:remove_shift",
    "programs:retire_step",
    "programs:retire_module",
    "accounts:lift_lockout",
    "notifications:send_again",
    "notifications:clear_undeliverable",
    "notifications:revert_wording",
    "notifications:revert_installation_wording",
    "api_tokens:revoke",
)


@pytest.mark.parametrize(
    ("url_name", "persona"), [(name, persona) for name in ASKS_FIRST for persona in PERSONAS]
)
def test_who_sees_the_page_that_asks_before_an_action(client, world, url_name, persona):
    visit = TABLE[url_name]
    log_in(client, world, persona)

    response = client.get(visit.path(world), visit.data(world))

    expected = visit.expect[persona]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == (200 if expected == ELSEWHERE else expected)


@pytest.mark.parametrize(
    ("method", "url_name", "args"),
    [
        ("put", "matches:start", (request_id,)),
        ("post", "intake:queue", ()),
        ("post", "intake:request_detail", (request_id,)),
        ("post", "matches:list", ()),
        ("post", "matches:detail", (match_id,)),
        ("post", "health", ()),
    ],
)
def test_a_coordinator_gets_405_for_a_method_the_page_does_not_take(
    client, world, method, url_name, args
):
    log_in(client, world, "coordinator")

    response = getattr(client, method)(url(url_name, *args)(world))

    assert response.status_code == 405


def test_an_anonymous_visitor_is_sent_to_sign_in_even_with_a_method_the_page_does_not_take(
    client, world
):
    response = client.get(url("matches:start", request_id)(world))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---- the API scopes what it returns -------------------------------------------------------


def api_ids(client, world, persona: str, name: str) -> set[int]:
    log_in(client, world, persona)
    response = client.get(reverse(name))
    assert response.status_code == 200
    return {item["id"] for item in response.json()["items"]}


def test_the_api_lists_a_coordinator_only_their_programs_waiting_requests(client, world):
    assert api_ids(client, world, "coordinator", "api:waiting_requests") == {
        world.request_a.pk,
        world.referral_a.pk,
    }


def test_the_api_lists_another_programs_coordinator_only_theirs(client, world):
    assert api_ids(client, world, "other_coordinator", "api:waiting_requests") == {
        world.request_b.pk
    }


@pytest.mark.parametrize("persona", ["peer", "supporter", "other_supporter"])
def test_the_api_lists_no_waiting_requests_to_people_without_a_staff_role(client, world, persona):
    assert api_ids(client, world, persona, "api:waiting_requests") == set()


def test_the_api_lists_a_supporter_only_their_own_matches(client, world):
    assert api_ids(client, world, "supporter", "api:matches") == {world.match_a.pk}


def test_the_api_lists_a_supporter_of_another_match_none_of_match_a(client, world):
    assert api_ids(client, world, "other_supporter", "api:matches") == set()


def test_the_api_lists_a_coordinator_only_their_programs_matches(client, world):
    assert api_ids(client, world, "coordinator", "api:matches") == {world.match_a.pk}
    assert api_ids(client, world, "other_coordinator", "api:matches") == {world.match_b.pk}


def test_the_api_lists_a_peer_without_a_role_no_matches(client, world):
    assert api_ids(client, world, "peer", "api:matches") == set()


def test_a_deactivated_membership_loses_access_at_once(client, world):
    world.users["coordinator"].memberships.update(is_active=False)
    log_in(client, world, "coordinator")

    assert client.get(reverse("intake:queue")).status_code == 403
    assert client.get(url("intake:request_detail", request_id)(world)).status_code == 403
