"""No name, contact detail, note or lived experience put in through the forms is stored in
plain text: a canary in each, then every column of every table read raw (issue 17, item 7).

The one exception is what an accepted applicant's account needs to sign them in and greet them:
their e-mail address and first name, on the account only.
"""

import datetime as dt
import uuid
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.intake.models import Source, SupportRequest
from alongside.matches.models import ContactLog, Match, SupportType
from alongside.programs.factories import SiteFactory
from alongside.programs.models import ContactMethod, Experience, Language, Program, Relationship
from alongside.supporters.models import Application, Supporter, SupporterStatus

pytestmark = pytest.mark.django_db

MARK = "quillifax"  # every canary below but the phones holds it; nothing else does
REQUEST = {
    "first_name": "Quillifaxrequest",
    "email": "quillifax.request@example.net",
    "phone": "416 555 0173",
    "about": "Quillifax: I was diagnosed last spring and my employer does not know.",
}
CALL = {
    "first_name": "Quillifaxcaller",
    "phone": "416 555 0174",
    "best_times": "Quillifax evenings, after the kids are asleep",
}
REFERRAL = {
    "first_name": "Quillifaxreferred",
    "last_name": "Quillifaxreferredlast",
    "preferred_name": "Quillifaxpreferred",
    "phone": "604 555 0175",
    "best_times": "Quillifax mornings",
    "goal_1": "Quillifax goal: back to work",
}
APPLICANT = {
    "first_name": "Quillifaxapplicant",
    "last_name": "Quillifaxapplicantlast",
    "email": "quillifax.applicant@example.org",
    "phone": "613 555 0176",
    "experience_details": "Quillifax: twenty years with relapsing MS, two of them off work.",
}
NOTE = "Quillifax contact note: she talked about the night she went to emergency."
PHONE_DIGITS = ["4165550173", "4165550174", "6045550175", "6135550176"]

# Where the accepted applicant's account keeps what signing in and greeting them need.
THE_ACCOUNT_KEEPS = {"accounts_user.first_name", "accounts_user.email"}


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def open_program(program_a: Program) -> Program:
    """Program A taking requests by form, phone and referral, and supporters' applications."""
    program_a.accepts_referrals = True
    program_a.eligibility_rules = [{"kind": "minimum_age", "years": 18}]
    program_a.save()
    SiteFactory(program=program_a, name="Downtown team")
    return program_a


def the_public_request(client: Client, program: Program, ms: Experience) -> SupportRequest:
    response = client.post(
        reverse("intake:request_support", args=[program.slug]),
        {
            **REQUEST,
            "contact_methods": [ContactMethod.EMAIL, ContactMethod.PHONE],
            "language": Language.ENGLISH,
            "experience": str(ms.pk),
            "relationship": Relationship.SELF,
            "since_year": "2021",
            "consent": "on",
            "submission_token": str(uuid.uuid4()),
            "website": "",
        },
    )
    assert response.status_code == 302, response.content
    return SupportRequest.objects.get(source=Source.PUBLIC_FORM)


def a_call_taken(client: Client, coordinator: User, program: Program, ms: Experience) -> None:
    client.force_login(coordinator)
    now = timezone.localtime(timezone.now(), program.calendar.zone)
    response = client.post(
        reverse("intake:take_call_for", args=[program.pk]),
        {
            **CALL,
            "contact_methods": [ContactMethod.PHONE],
            "language": Language.ENGLISH,
            "experience": str(ms.pk),
            "relationship": Relationship.SELF,
            "call_back_at": (now + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "consent": "on",
            "call_started_at": (now - dt.timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M"),
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302, response.content
    assert SupportRequest.objects.filter(source=Source.PHONE).exists()


def a_referral(client: Client, program: Program) -> None:
    client.force_login(user_with_role(Role.REFERRER, program, email="dr.lee@example.org"))
    response = client.post(
        reverse("referrals:refer", args=[program.slug]),
        {
            **REFERRAL,
            "submission_token": str(uuid.uuid4()),
            "language": "en",
            "contact_methods": ["phone"],
            "experience": str(program.experiences.get().pk),
            "site": str(program.sites.get().pk),
            "consent_to_share": "on",
        },
    )
    assert response.status_code == 302, response.content
    assert SupportRequest.objects.filter(source=Source.REFERRAL).exists()


def an_application(client: Client, program: Program, ms: Experience) -> Application:
    client.logout()
    response = client.post(
        reverse("supporters:apply", args=[program.slug]),
        {
            **APPLICANT,
            "date_of_birth": "1985-06-01",
            "experience": str(ms.pk),
            "relationship": Relationship.SELF,
            "since_month": "5",
            "since_year": "2015",
            "consent": "on",
            "submission_token": str(uuid.uuid4()),
            "website": "",
        },
    )
    assert response.status_code == 302, response.content
    return Application.objects.get()


def a_contact_logged(
    client: Client, coordinator: User, support_request: SupportRequest, supporter: Supporter
) -> None:
    client.force_login(coordinator)
    started = client.post(
        reverse("matches:start", args=[support_request.pk]), {"supporter": supporter.pk}
    )
    assert started.status_code == 302, started.content
    match = Match.objects.get(request=support_request)
    client.force_login(supporter.user)
    occurred = timezone.localtime(timezone.now() - dt.timedelta(hours=1))
    response = client.post(
        reverse("matches:log_contact", args=[match.pk]),
        {
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "was_made": "yes",
            "minutes": "40",
            "method": ContactMethod.PHONE,
            "support_types": [SupportType.EMOTIONAL],
            "note": NOTE,
        },
    )
    assert response.status_code == 302, response.content
    assert ContactLog.objects.filter(match=match).exists()


def where_in_plain_text() -> set[str]:
    """Every `table.column` holding a canary, read raw from every table of the database."""
    found = set()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = str(bytes(value) if isinstance(value, memoryview) else value).lower()
                    if MARK in text or any(digits in text for digits in PHONE_DIGITS):
                        found.add(f"{table}.{column}")
    return found


def test_nothing_put_in_through_the_forms_is_stored_in_plain_text_but_the_account_sign_in(
    client: Client,
    open_program: Program,
    ms: Experience,
    coordinator_a: User,
    supporter_a: Supporter,
) -> None:
    public_request = the_public_request(client, open_program, ms)
    a_call_taken(client, coordinator_a, open_program, ms)
    a_referral(client, open_program)
    application = an_application(client, open_program, ms)
    a_contact_logged(client, coordinator_a, public_request, supporter_a)

    assert where_in_plain_text() == THE_ACCOUNT_KEEPS
    # Everything went in, and reads back through the models.
    assert public_request.peer.first_name == REQUEST["first_name"]
    assert SupportRequest.objects.get(source=Source.PHONE).peer.first_name == CALL["first_name"]
    referred = SupportRequest.objects.get(source=Source.REFERRAL).peer
    assert (referred.first_name, referred.last_name) == (
        REFERRAL["first_name"],
        REFERRAL["last_name"],
    )
    assert application.experience_details == APPLICANT["experience_details"]
    # The applicant was accepted: a supporter, whose account greets them by their first name
    # and signs them in by e-mail, and holds nothing more; the last name stays encrypted.
    supporter = application.supporter
    assert supporter is not None
    assert supporter.status == SupporterStatus.APPLIED
    account = supporter.user
    assert (account.email, account.first_name, account.last_name) == (
        APPLICANT["email"],
        APPLICANT["first_name"],
        "",
    )
    assert supporter.last_name == APPLICANT["last_name"]
