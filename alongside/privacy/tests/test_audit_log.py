"""The audit log for people: the privacy lead reads their programs' events, an administrator
their programs', a superuser every one; searched by person, staff member, action and period,
and exported after confirming it is them."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory, user_with_role
from alongside.accounts.models import Role, User
from alongside.core.audit import record_event
from alongside.core.models import AuditEvent
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches.models import Match
from alongside.privacy.audit_log import AUDIT_LOG
from alongside.privacy.queries import audit_events_visible_to
from alongside.programs.models import Program
from alongside.supporters.models import Supporter

AUDIT = reverse("privacy:audit_log")
EXPORT = reverse("reports:export", args=["audit"])


@pytest.fixture
def privacy_lead_a(program_a: Program) -> User:
    return user_with_role(Role.PRIVACY_LEAD, program_a, email="privacy.a@example.org")


def events(user: User, **params: str) -> list[AuditEvent]:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(AUDIT_LOG.rows(user, query))


def read_of(viewer: User, record: SupportRequest | Supporter | Match) -> AuditEvent:
    action = {
        SupportRequest: "intake.request.viewed",
        Supporter: "supporters.supporter.viewed",
        Match: "matches.match.viewed",
    }[type(record)]
    return record_event(actor=viewer, action=action, target=record)


# ---- whose events: the scope --------------------------------------------------------------


def test_a_privacy_lead_reads_their_programs_events_and_never_another_programs(
    privacy_lead_a: User,
    coordinator_a: User,
    coordinator_b: User,
    program_b: Program,
    request_a: SupportRequest,
) -> None:
    in_a = read_of(coordinator_a, request_a)
    read_of(coordinator_b, SupportRequestFactory(program=program_b))
    record_event(actor=coordinator_b, action="accounts.user.changed", target=coordinator_b)

    assert list(audit_events_visible_to(privacy_lead_a)) == [in_a]
    assert events(privacy_lead_a) == [in_a]


def test_another_programs_id_chosen_as_a_filter_is_left_out(
    privacy_lead_a: User,
    coordinator_a: User,
    coordinator_b: User,
    program_b: Program,
    request_a: SupportRequest,
) -> None:
    in_a = read_of(coordinator_a, request_a)
    read_of(coordinator_b, SupportRequestFactory(program=program_b))

    reading = AUDIT_LOG.read(privacy_lead_a, QueryDict(f"program={program_b.pk}"))

    assert list(reading.rows) == [in_a]
    assert reading.notices == ["The filter “Program” was not understood and is not applied."]


def test_an_administrator_reads_their_programs_events_and_a_superuser_every_one(
    administrator: User,
    coordinator_a: User,
    coordinator_b: User,
    program_b: Program,
    request_a: SupportRequest,
) -> None:
    in_a = read_of(coordinator_a, request_a)
    in_b = read_of(coordinator_b, SupportRequestFactory(program=program_b))
    nowhere = record_event(
        actor=coordinator_b, action="accounts.user.changed", target=coordinator_b
    )
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert events(administrator) == [in_a]
    assert set(events(superuser)) >= {in_a, in_b, nowhere}


def test_a_coordinator_and_a_supporter_read_no_event(
    coordinator_a: User, supporter_a: Supporter, request_a: SupportRequest
) -> None:
    read_of(coordinator_a, request_a)

    assert events(coordinator_a) == []
    assert events(supporter_a.user) == []


# ---- the filters ---------------------------------------------------------------------------


def test_the_log_is_searched_by_the_persons_name_through_their_records(
    privacy_lead_a: User,
    coordinator_a: User,
    program_a: Program,
    supporter_a: Supporter,
    match_a: Match,
) -> None:
    dupont = SupportRequestFactory(
        program=program_a,
        peer=PeerFactory(program=program_a, first_name="Mireille", last_name="Dupont-Lévesque"),
    )
    other = SupportRequestFactory(
        program=program_a,
        peer=PeerFactory(program=program_a, first_name="Omar", last_name="Haddad"),
    )
    about_dupont = read_of(coordinator_a, dupont)
    read_of(coordinator_a, other)
    about_sam = [read_of(coordinator_a, supporter_a), read_of(coordinator_a, match_a)]

    assert events(privacy_lead_a, q="levesque") == [about_dupont]  # the encrypted last name
    assert events(privacy_lead_a, q="Mireille") == [about_dupont]  # encrypted too: whole words
    assert events(privacy_lead_a, q="Mirei") == []
    assert set(events(privacy_lead_a, q="Sam")) == set(about_sam)
    assert events(privacy_lead_a, q="Nobody") == []


def test_the_log_is_filtered_by_staff_member_and_action(
    privacy_lead_a: User,
    coordinator_a: User,
    administrator: User,
    request_a: SupportRequest,
    match_a: Match,
) -> None:
    by_coordinator = read_of(coordinator_a, request_a)
    match_read = read_of(administrator, match_a)

    assert events(privacy_lead_a, actor=str(coordinator_a.pk)) == [by_coordinator]
    assert events(privacy_lead_a, action="matches.match.viewed") == [match_read]


def test_the_actions_offered_are_every_recorded_code_once_in_order(
    privacy_lead_a: User,
    coordinator_a: User,
    coordinator_b: User,
    program_b: Program,
    request_a: SupportRequest,
) -> None:
    read_of(coordinator_a, request_a)
    read_of(coordinator_a, request_a)
    # A code is the same in every program: offering another program's reveals nothing of it.
    record_event(actor=coordinator_b, action="programs.program.changed", target=program_b)
    record_event(actor=coordinator_b, action="accounts.user.changed", target=coordinator_b)

    reading = AUDIT_LOG.read(privacy_lead_a, QueryDict())

    assert [value for value, _label in reading.filters.form.fields["action"].choices] == [
        "",
        "accounts.user.changed",
        "intake.request.viewed",
        "programs.program.changed",
    ]


def test_the_log_is_filtered_by_period_in_days_from_and_to(
    privacy_lead_a: User, coordinator_a: User, request_a: SupportRequest
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 1, 15, tzinfo=dt.UTC)):
        read_of(coordinator_a, request_a)
    with time_machine.travel(dt.datetime(2026, 3, 10, 15, tzinfo=dt.UTC)):
        in_period = read_of(coordinator_a, request_a)
    with time_machine.travel(dt.datetime(2026, 3, 20, 15, tzinfo=dt.UTC)):
        read_of(coordinator_a, request_a)

    assert events(privacy_lead_a, since="2026-03-05", until="2026-03-10") == [in_period]


# ---- the page and its export ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "supporter", "coordinator", "supervisor"])
def test_the_audit_log_is_refused_to_anyone_but_privacy_leads_and_administrators(
    client: Client, who: str, coordinator_a: User, supporter_a: Supporter, program_a: Program
) -> None:
    person = {
        "supporter": supporter_a.user,
        "coordinator": coordinator_a,
        "supervisor": user_with_role(Role.SUPERVISOR, program_a),
    }.get(who)
    if person is not None:
        client.force_login(person)

    response = client.get(AUDIT)

    assert response.status_code == (302 if who == "anonymous" else 403)


def test_a_privacy_lead_sees_a_read_of_a_request_in_the_log(
    client: Client, privacy_lead_a: User, coordinator_a: User, request_a: SupportRequest
) -> None:
    client.force_login(coordinator_a)
    client.get(reverse("intake:request_detail", args=[request_a.pk]))
    client.force_login(privacy_lead_a)

    page = client.get(AUDIT, {"action": "intake.request.viewed"})

    assert page.status_code == 200
    assert "1 event" in page.text
    assert coordinator_a.email in page.text
    assert f"Support request #{request_a.pk}" in page.text
    assert request_a.peer.first_name not in page.text


def test_an_administrator_opens_the_audit_log(client: Client, administrator: User) -> None:
    client.force_login(administrator)

    assert client.get(AUDIT).status_code == 200


def test_home_sends_a_privacy_lead_to_the_audit_log_and_the_menu_links_it(
    client: Client, privacy_lead_a: User
) -> None:
    client.force_login(privacy_lead_a)

    assert client.get("/")["Location"] == AUDIT
    page = client.get(AUDIT)
    assert f'href="{AUDIT}"' in page.text
    assert reverse("intake:queue") not in page.text
    assert reverse("matches:list") not in page.text


def test_the_menu_offers_the_audit_log_to_administrators_only_among_staff(
    client: Client, administrator: User, coordinator_a: User
) -> None:
    client.force_login(administrator)
    assert f'href="{AUDIT}"' in client.get(reverse("reports:dashboard")).text
    client.force_login(coordinator_a)
    assert f'href="{AUDIT}"' not in client.get(reverse("reports:dashboard")).text


def test_exporting_the_audit_log_asks_to_confirm_it_is_them_then_downloads_and_is_audited(
    client: Client,
    privacy_lead_a: User,
    coordinator_a: User,
    coordinator_b: User,
    program_b: Program,
    request_a: SupportRequest,
) -> None:
    read_of(coordinator_a, request_a)
    read_of(coordinator_b, SupportRequestFactory(program=program_b))
    client.force_login(privacy_lead_a)
    address = f"{EXPORT}?action=intake.request.viewed&format=csv"

    asked = client.get(address)
    confirmed = client.post(asked["Location"], {"password": DEMO_PASSWORD})
    downloaded = client.get(confirmed["Location"])

    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert downloaded.status_code == 200
    content = b"".join(downloaded.streaming_content).decode().removeprefix("\ufeff")  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == ["When", "Program", "Staff member", "Action", "Record", "From"]
    assert [row[2:5] for row in rows[1:]] == [
        [coordinator_a.email, "intake.request.viewed", f"Support request #{request_a.pk}"]
    ]
    exported = AuditEvent.objects.get(action="reports.list.exported")
    assert exported.data["list"] == "audit"
    assert exported.actor == privacy_lead_a


def test_a_coordinator_cannot_export_the_audit_log(client: Client, coordinator_a: User) -> None:
    client.force_login(coordinator_a)
    client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})

    assert client.get(f"{EXPORT}?format=csv").status_code == 403


def test_a_privacy_lead_cannot_export_another_list(client: Client, privacy_lead_a: User) -> None:
    client.force_login(privacy_lead_a)
    client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})

    response = client.get(reverse("reports:export", args=["requests"]) + "?format=csv")

    assert response.status_code == 403


def test_the_audit_log_reads_a_bounded_number_of_queries_however_many_events(
    client: Client,
    privacy_lead_a: User,
    coordinator_a: User,
    program_a: Program,
    django_assert_max_num_queries,
) -> None:
    for _ in range(30):
        read_of(coordinator_a, SupportRequestFactory(program=program_a))
    client.force_login(privacy_lead_a)

    with django_assert_max_num_queries(16):
        page = client.get(AUDIT, {"q": "Jordan", "action": "intake.request.viewed"})

    assert page.status_code == 200
