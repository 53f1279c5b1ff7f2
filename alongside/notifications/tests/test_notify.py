"""notify(): each message written for its recipient, queued once, many at a time."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from django.utils.translation import gettext_lazy

from alongside.accounts.factories import MembershipFactory, UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.notifications.models import Channel, MessageTemplate, OutboxMessage
from alongside.notifications.notify import (
    CHANNEL,
    RECIPIENT,
    Contact,
    DayOf,
    MessageKind,
    notify,
)
from alongside.programs.queries import members_of

pytestmark = pytest.mark.django_db

GREETING = MessageKind(
    "tests.greeting.sent",
    subject="Hello %(recipient)s",
    body="See you on %(when)s in %(program)s.",
)
# Django's own catalogue translates the month names: a lazily translated string stands in for
# ours until Alongside has its French catalogue.
MONTHLY = MessageKind("tests.month.opened", subject=gettext_lazy("January"), body="%(month)s")
NOON_UTC = dt.datetime(2025, 6, 3, 12, 0, tzinfo=dt.UTC)


def greet(recipients: list[Any], **options: Any) -> list[OutboxMessage]:
    return notify(
        kind=GREETING,
        recipients=recipients,
        context={"when": NOON_UTC},
        idempotency_key=("tests.greeting", RECIPIENT, CHANNEL),
        **options,
    )


def test_a_french_speaking_user_gets_the_programs_french_wording(program_a):
    francophone = UserFactory(language="fr-ca", first_name="Aimée")
    anglophone = UserFactory(language="en", first_name="Ann")
    MessageTemplate.objects.create(
        program=program_a,
        key="tests.greeting.sent",
        language="fr",
        subject="Bonjour {{ recipient }}",
        body="À bientôt, {{ when }}.",
    )

    french, english = greet([francophone, anglophone], program=program_a)

    assert french.subject == "Bonjour Aimée"
    assert french.body == "À bientôt, 2025-06-03 08:00 EDT."
    assert english.subject == "Hello Ann"


def test_lazily_translated_text_is_rendered_in_each_recipients_language(program_a):
    francophone = UserFactory(language="fr-ca")
    anglophone = UserFactory(language="en")

    french, english = notify(
        kind=MONTHLY,
        recipients=[francophone, anglophone],
        context={"month": gettext_lazy("February")},
        idempotency_key=("tests.month", RECIPIENT),
        program=program_a,
    )

    assert (french.subject, french.body) == ("janvier", "février")
    assert (english.subject, english.body) == ("January", "February")


def test_a_person_without_an_account_is_written_to_in_the_language_they_asked_in(program_a):
    (message,) = notify(
        kind=MONTHLY,
        recipients=[Contact(email="camille@example.net", language="fr", name="Camille")],
        context={"month": gettext_lazy("March")},
        idempotency_key=("tests.month", "peer"),
        program=program_a,
    )

    assert message.subject == "janvier"
    assert message.to_address == "camille@example.net"
    assert message.recipient is None


def test_without_a_language_of_their_own_a_person_reads_the_programs_first_language(program_a):
    program_a.languages = ["fr", "en"]

    (message,) = notify(
        kind=MONTHLY,
        recipients=[Contact(email="camille@example.net")],
        context={"month": "mars"},
        idempotency_key=("tests.month", "peer"),
        program=program_a,
    )

    assert message.subject == "janvier"


def test_a_time_is_shown_in_each_recipients_own_zone_else_the_programs(program_a):
    in_vancouver = UserFactory(time_zone="America/Vancouver")
    without_zone = UserFactory(time_zone="")

    vancouver, toronto = greet([in_vancouver, without_zone], program=program_a)

    assert vancouver.body == "See you on 2025-06-03 05:00 PDT in Program A."
    assert toronto.body == "See you on 2025-06-03 08:00 EDT in Program A."


def test_an_email_and_a_text_to_someone_in_another_zone_show_their_zones_time(program_a):
    away = Contact(
        email="ana@example.net", phone="+16045550100", time_zone="America/Vancouver", name="Ana"
    )

    email, text = notify(
        kind=GREETING,
        recipients=[away],
        context={"when": NOON_UTC},
        idempotency_key=("tests.greeting", "ana", CHANNEL),
        channels=[Channel.EMAIL, Channel.SMS],
        program=program_a,
    )

    assert (email.channel, email.to_address) == (Channel.EMAIL, "ana@example.net")
    assert (text.channel, text.to_address) == (Channel.SMS, "+16045550100")
    assert email.body == text.body == "See you on 2025-06-03 05:00 PDT in Program A."


def test_someone_without_a_zone_told_of_no_program_reads_their_own_programs_time(program_a):
    program_a.time_zone = "America/Vancouver"
    program_a.save()
    member = user_with_role(Role.COORDINATOR, program_a, time_zone="")

    (message,) = greet([member])

    assert message.body == "See you on 2025-06-03 05:00 PDT in ."


def test_the_day_of_a_moment_is_the_day_where_the_reader_is(program_a):
    # 02:30 UTC on 4 June: still 3 June in Toronto, already 4 June in Paris.
    late = dt.datetime(2025, 6, 4, 2, 30, tzinfo=dt.UTC)
    kind = MessageKind("tests.day.sent", subject="", body="%(day)s")

    toronto, paris = notify(
        kind=kind,
        recipients=[UserFactory(), UserFactory(time_zone="Europe/Paris")],
        context={"day": DayOf(late)},
        idempotency_key=("tests.day", RECIPIENT),
        program=program_a,
    )

    assert (toronto.body, paris.body) == ("3 June 2025", "4 June 2025")


def test_a_date_is_written_out_in_the_recipients_language(program_a):
    (message,) = notify(
        kind=MessageKind("tests.day.sent", subject="", body="%(day)s"),
        recipients=[UserFactory(language="fr-ca")],
        context={"day": dt.date(2025, 6, 3)},
        idempotency_key=("tests.day",),
        program=program_a,
    )

    assert message.body == "3 juin 2025"


def test_a_text_written_as_a_function_gets_the_time_in_the_recipients_zone(program_a):
    def body(context: Mapping[str, Any]) -> str:
        return f"{context['when']:%H:%M %Z}"

    kind = MessageKind("tests.function.sent", subject="", body=body)
    (message,) = notify(
        kind=kind,
        recipients=[UserFactory(time_zone="Europe/Paris")],
        context={"when": NOON_UTC},
        idempotency_key=("tests.function",),
        channels=[Channel.IN_APP],
        program=program_a,
    )

    assert message.body == "14:00 CEST"


def test_each_message_records_its_kind(program_a):
    (message,) = greet([UserFactory()], program=program_a)

    assert message.kind == "tests.greeting.sent"


def test_a_message_already_queued_is_not_queued_again(
    program_a, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as first_callbacks:
        (first,) = greet([user], program=program_a)
    with django_capture_on_commit_callbacks() as second_callbacks:
        (again,) = greet([user], program=program_a)

    assert again.pk == first.pk
    assert first.idempotency_key == f"tests.greeting:{user.pk}:email"
    assert OutboxMessage.objects.count() == 1
    assert len(first_callbacks) == 1
    assert second_callbacks == []


def test_a_channel_a_person_cannot_be_reached_by_is_left_out(program_a):
    messages = notify(
        kind=GREETING,
        recipients=[Contact(phone="+15145550100"), UserFactory()],
        context={"when": NOON_UTC},
        idempotency_key=("tests.greeting", CHANNEL, "x"),
        channels=[Channel.SMS],
        program=program_a,
    )

    assert [message.to_address for message in messages] == ["+15145550100"]


def test_a_key_that_does_not_tell_two_messages_apart_is_refused(program_a):
    with pytest.raises(ValueError, match="repeats"):
        notify(
            kind=GREETING,
            recipients=[UserFactory(), UserFactory()],
            context={"when": NOON_UTC},
            idempotency_key=("tests.greeting", CHANNEL),
            program=program_a,
        )
    assert not OutboxMessage.objects.exists()


def test_members_of_a_program_are_found_in_one_query(
    program_a, program_b, django_assert_num_queries
):
    coordinators = [user_with_role(Role.COORDINATOR, program_a) for _ in range(3)]
    supervisor = user_with_role(Role.SUPERVISOR, program_a)
    user_with_role(Role.COORDINATOR, program_b)
    MembershipFactory(user=coordinators[0], program=program_a, role=Role.SUPERVISOR)
    left = user_with_role(Role.COORDINATOR, program_a)
    left.memberships.update(is_active=False)
    gone = user_with_role(Role.COORDINATOR, program_a)
    gone.is_active = False
    gone.save()

    with django_assert_num_queries(1):
        found = list(members_of(program_a, [Role.COORDINATOR, Role.SUPERVISOR]))

    assert found == [*coordinators, supervisor]


def test_many_messages_are_queued_in_a_bounded_number_of_queries(
    program_a, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    people = [user_with_role(Role.COORDINATOR, program_a) for _ in range(40)]
    MessageTemplate.objects.create(key="tests.greeting.sent", language="en", body="{{ body }}!")

    with (
        django_assert_max_num_queries(8),
        django_capture_on_commit_callbacks() as callbacks,
    ):
        messages = greet(
            members_of(program_a, [Role.COORDINATOR]),
            channels=[Channel.EMAIL, Channel.IN_APP],
            program=program_a,
        )

    assert len(messages) == 80
    assert {message.recipient_id for message in messages} == {person.pk for person in people}
    assert all(message.body.endswith("!") for message in messages)
    assert len(callbacks) == 1
