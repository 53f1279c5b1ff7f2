"""Digests: within a periodic run, a coordinator told of many items of a kind is told once."""

import pytest

from alongside.accounts.factories import MembershipFactory, user_with_role
from alongside.accounts.models import Role, User
from alongside.notifications import digests
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.notify import Contact, Digest, MessageKind, notify, notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators
from alongside.programs.models import Program

pytestmark = pytest.mark.django_db

LATE_DIGEST = MessageKind(
    "tests.report.late",
    subject="%(count)s reports are late",
    body="%(count)s reports in %(program)s are late: %(items)s. All of them: %(link)s",
    wording_key="tests.report.late.digest",
)
LATE = MessageKind(
    "tests.report.late",
    subject="Report #%(number)s is late",
    body="Report #%(number)s of %(name)s is late.",
    digest=Digest(LATE_DIGEST, label="#%(number)s (%(name)s)", link_to=lambda p: f"/r/{p.pk}/"),
)
TWO_CHANNELS = [Channel.IN_APP, Channel.EMAIL]


def tell_late(program: Program, numbers: range) -> None:
    """What a job's batch does: one notice a late report, to the program's coordinators."""
    coordinators = coordinators_of({program.pk})[program.pk]
    for number in numbers:
        notify_late(program, coordinators, number)


def notify_late(program: Program, coordinators: list[User], number: int) -> None:
    notify_all(
        [
            notice_to_coordinators(
                program,
                coordinators=coordinators,
                kind=LATE,
                context={"number": number, "name": f"Person {number}"},
                key=("tests.report.late", number),
                channels=TWO_CHANNELS,
                link=f"/reports/{number}/",
            )
        ]
    )


def test_many_items_of_a_kind_in_a_run_give_each_coordinator_one_digest_on_each_channel(
    program_a: Program, coordinator_a: User
) -> None:
    other = user_with_role(Role.COORDINATOR, program_a)

    with digests.collecting():
        tell_late(program_a, range(1, 15))

    for user in (coordinator_a, other):
        told = OutboxMessage.objects.filter(recipient=user)
        assert sorted(told.values_list("channel", flat=True)) == sorted(TWO_CHANNELS)
        email = told.get(channel=Channel.EMAIL)
        assert email.subject == "14 reports are late"
        assert "#1 (Person 1), #2 (Person 2), #3 (Person 3), #4 (Person 4), #5 (Person 5)" in (
            email.body
        )
        assert "and 9 more" in email.body
        assert email.body.endswith(f"/r/{program_a.pk}/")
        assert told.get(channel=Channel.IN_APP).link == f"/r/{program_a.pk}/"


def test_a_few_items_keep_their_own_messages(program_a: Program, coordinator_a: User) -> None:
    with digests.collecting():
        tell_late(program_a, range(1, digests.FEW + 1))

    subjects = OutboxMessage.objects.filter(channel=Channel.EMAIL).values_list("subject", flat=True)
    assert sorted(subjects) == ["Report #1 is late", "Report #2 is late", "Report #3 is late"]


def test_a_french_coordinator_reads_the_digest_in_french(program_a: Program) -> None:
    user_with_role(Role.COORDINATOR, program_a, language="fr-ca")

    with digests.collecting():
        tell_late(program_a, range(1, 8))

    body = OutboxMessage.objects.get(channel=Channel.EMAIL).body
    assert "#5 (Person 5) et 2 autres" in body


def test_each_program_is_counted_apart(
    program_a: Program, program_b: Program, coordinator_a: User
) -> None:
    in_both = user_with_role(Role.COORDINATOR, program_b)
    MembershipFactory(user=in_both, program=program_a, role=Role.COORDINATOR)

    with digests.collecting():
        tell_late(program_a, range(1, 6))
        tell_late(program_b, range(10, 12))

    subjects = sorted(
        OutboxMessage.objects.filter(recipient=in_both, channel=Channel.EMAIL).values_list(
            "subject", flat=True
        )
    )
    assert subjects == ["5 reports are late", "Report #10 is late", "Report #11 is late"]


def failing_batch(program: Program) -> None:
    with digests.section():
        tell_late(program, range(5, 10))
        raise RuntimeError("the batch failed")


def test_a_section_that_fails_holds_nothing_and_the_others_are_still_told(
    program_a: Program, coordinator_a: User
) -> None:
    with digests.collecting():
        tell_late(program_a, range(1, 5))
        with pytest.raises(RuntimeError):
            failing_batch(program_a)
        with digests.section():
            tell_late(program_a, range(10, 12))

    email = OutboxMessage.objects.get(channel=Channel.EMAIL)
    assert email.subject == "6 reports are late"
    assert "#1 (Person 1), #2 (Person 2), #3 (Person 3), #4 (Person 4), #10 (Person 10)" in (
        email.body
    )


def test_outside_a_run_every_message_goes_at_once(program_a: Program, coordinator_a: User) -> None:
    tell_late(program_a, range(1, 10))

    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).count() == 9


def test_a_run_done_again_queues_no_second_digest(program_a: Program, coordinator_a: User) -> None:
    for _run in range(2):
        with digests.collecting():
            tell_late(program_a, range(1, 10))

    assert OutboxMessage.objects.filter(channel=Channel.EMAIL).count() == 1


def test_someone_without_an_account_is_always_told_on_their_own(program_a: Program) -> None:
    peer = Contact(email="camille@example.com", name="Camille")
    with digests.collecting():
        for number in range(1, 8):
            notify(
                kind=LATE,
                recipients=[peer],
                context={"number": number, "name": "Camille"},
                idempotency_key=("tests.report.late", number, "peer"),
                program=program_a,
            )

    assert OutboxMessage.objects.count() == 7


def test_an_urgent_kind_cannot_be_told_in_a_digest() -> None:
    with pytest.raises(ValueError, match="urgent"):
        MessageKind(
            "tests.urgent",
            subject="Now",
            body="Now",
            urgent=True,
            digest=Digest(LATE_DIGEST, label="#%(number)s", link_to=lambda p: "/"),
        )
