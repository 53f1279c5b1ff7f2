"""The coordinators' page of undeliverable addresses: what it lists, and clearing a mark."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.core.models import AuditEvent
from alongside.notifications.models import Channel, DeliveryReport, UndeliverableAddress
from alongside.notifications.providers.views import ADDRESSES_PER_PAGE
from alongside.programs.models import Program

ADDRESS = "sam.peer@example.org"


def mark(program: Program | None, address: str = ADDRESS, **fields) -> UndeliverableAddress:
    return UndeliverableAddress.objects.create(
        program=program,
        channel=Channel.EMAIL,
        address=address,
        problem=DeliveryReport.BOUNCED,
        detail="Postmark: bounced",
        **fields,
    )


def listed(response) -> list[int]:
    return [row[0].pk for row in response.context["rows"]]


def test_a_coordinator_sees_their_programs_marks_and_not_another_programs(
    client, coordinator_a, program_a, program_b
):
    in_a = mark(program_a)
    mark(program_b, "other@example.org")
    client.force_login(coordinator_a)

    response = client.get(reverse("notifications:undeliverable"))

    assert response.status_code == 200
    assert listed(response) == [in_a.pk]
    page = response.content.decode()
    assert "s…@example.org" in page
    assert ADDRESS not in page


def test_an_administrator_sees_their_programs_marks(client, administrator, program_a):
    in_a = mark(program_a)
    client.force_login(administrator)

    assert listed(client.get(reverse("notifications:undeliverable"))) == [in_a.pk]


def test_a_supporter_may_not_open_the_page(client, program_a):
    supporter = user_with_role(Role.SUPPORTER, program_a)
    client.force_login(supporter)

    assert client.get(reverse("notifications:undeliverable")).status_code == 403


def test_the_page_names_the_person_who_has_an_account(client, coordinator_a, program_a):
    person: User = user_with_role(Role.SUPPORTER, program_a, first_name="Robin", last_name="Roy")
    mark(program_a, recipient=person)
    client.force_login(coordinator_a)

    page = client.get(reverse("notifications:undeliverable")).content.decode()

    assert person.display_name in page


def test_the_page_is_paged(client, coordinator_a, program_a):
    for number in range(ADDRESSES_PER_PAGE + 1):
        mark(program_a, f"person{number}@example.org")
    client.force_login(coordinator_a)

    first = client.get(reverse("notifications:undeliverable"))
    second = client.get(reverse("notifications:undeliverable") + "?page=2")

    assert len(listed(first)) == ADDRESSES_PER_PAGE
    assert len(listed(second)) == 1


def test_clearing_asks_first_then_clears_and_audits(client, coordinator_a, program_a):
    standing = mark(program_a)
    clear_url = reverse("notifications:clear_undeliverable", args=[standing.pk])
    client.force_login(coordinator_a)

    asked = client.get(clear_url)
    assert asked.status_code == 200
    standing.refresh_from_db()
    assert standing.cleared_at is None

    response = client.post(clear_url, follow=True)

    standing.refresh_from_db()
    assert standing.cleared_by == coordinator_a
    assert listed(response) == []
    assert AuditEvent.objects.filter(action="notifications.address.cleared").count() == 1


def test_clearing_twice_says_it_was_cleared_already(client, coordinator_a, program_a):
    standing = mark(program_a)
    clear_url = reverse("notifications:clear_undeliverable", args=[standing.pk])
    client.force_login(coordinator_a)
    client.post(clear_url)

    response = client.post(clear_url)

    assert response.status_code == 404  # a cleared mark is no longer listed


def test_another_programs_coordinator_cannot_clear_a_mark(client, coordinator_b, program_a):
    standing = mark(program_a)
    client.force_login(coordinator_b)

    response = client.post(reverse("notifications:clear_undeliverable", args=[standing.pk]))

    assert response.status_code == 404
    standing.refresh_from_db()
    assert standing.cleared_at is None


@pytest.mark.django_db
def test_a_marked_address_may_be_marked_again_once_cleared(program_a, coordinator_a):
    first = mark(program_a)
    UndeliverableAddress.objects.filter(pk=first.pk).update(cleared_at=first.marked_at)

    second = mark(program_a)

    assert second.pk != first.pk


def test_the_page_takes_as_many_queries_for_a_full_page_as_for_one_mark(
    client, coordinator_a, program_a, django_assert_max_num_queries
):
    for number in range(ADDRESSES_PER_PAGE):
        person = user_with_role(Role.SUPPORTER, program_a, authenticator_app=False)
        mark(program_a, f"person{number}@example.org", recipient=person)
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("notifications:undeliverable"))

    assert len(listed(response)) == ADDRESSES_PER_PAGE
