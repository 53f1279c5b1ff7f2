"""Choosing whom to invite by searching their names (core.many_pickers), never a box for each
supporter: who may search, what the search shows, what the invite accepts, and the page's
queries with many supporters."""

import re

import pytest
from django.urls import reverse

from alongside.accounts.factories import UserFactory
from alongside.core.many_pickers import MOST_CHOSEN
from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.notifications.models import OutboxMessage
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus


def named(program, first_name, last_name="Smith", **fields):
    return SupporterFactory(
        program=program, user=UserFactory(first_name=first_name, last_name=last_name), **fields
    )


@pytest.fixture
def session_a(program_a):
    return GroupSessionFactory(program=program_a, title="Spring check-in")


def invite_url(session):
    return reverse("groups:invite", args=[session.pk])


def search_url(session):
    return reverse("groups:search_invitees", args=[session.pk])


def test_the_invite_page_shows_no_box_for_each_supporter_and_its_queries_stay_few(
    client, django_assert_max_num_queries, session_a, coordinator_a, program_a
):
    for number in range(40):
        named(program_a, f"Kim{number:02d}")
    chosen = [named(program_a, "Casey"), named(program_a, "Robin")]
    AttendanceFactory(session=session_a, supporter=chosen[1])
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(15):
        empty = client.get(invite_url(session_a)).content.decode()
    with django_assert_max_num_queries(15):
        searched = client.get(
            invite_url(session_a),
            {"supporters": [s.pk for s in chosen], "supporters-search": "kim"},
        ).content.decode()

    assert 'name="supporters"' not in empty
    assert "Every active supporter of the program (42)" in empty
    # The two chosen first (Robin marked as already invited), then the first ten Kims.
    assert searched.count('name="supporters"') == 2 + 10
    assert searched.index("Casey") < searched.index("Kim00")
    assert "already invited" in searched
    assert re.search(r'<input type="radio" name="who" value="chosen"[^>]*checked', searched)
    assert re.search(r'<input type="radio" name="who" value="all"[^>]*checked', empty)


def test_a_search_shows_the_chosen_first_marks_the_already_invited_and_only_the_program(
    client, session_a, coordinator_a, program_a, program_b
):
    casey = named(program_a, "Casey")
    invited = named(program_a, "Cassandra")
    AttendanceFactory(session=session_a, supporter=invited)
    robin = named(program_a, "Robin")
    named(program_a, "Cass", status=SupporterStatus.PAUSED)
    stranger = named(program_b, "Cassius")
    client.force_login(coordinator_a)

    response = client.get(
        search_url(session_a),
        {"name": "supporters", "supporters-search": "cas", "supporters": [robin.pk, stranger.pk]},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Robin") < text.index("Casey")  # the chosen stay first
    assert "Cassius" not in text
    assert "Cass ·" not in text
    assert f'value="{casey.pk}"' in text
    assert "Cassandra" in text
    assert "already invited" in text
    assert text.count("disabled") == 1
    assert "2 supporters found." in text


def test_a_removed_one_is_no_longer_chosen(client, session_a, coordinator_a, program_a):
    casey, robin = named(program_a, "Casey"), named(program_a, "Robin")
    client.force_login(coordinator_a)

    response = client.get(
        search_url(session_a),
        {"name": "supporters", "supporters": [casey.pk, robin.pk], "remove": str(casey.pk)},
    )

    text = response.content.decode()
    assert "Robin" in text
    assert "Casey" not in text
    assert "1 chosen" in text


@pytest.mark.parametrize(
    ("who", "status"), [("supporter", 403), ("other_coordinator", 404), ("nobody", 302)]
)
def test_only_the_programs_staff_may_search_whom_to_invite(
    client, session_a, supporter_a, coordinator_b, who, status
):
    user = {"supporter": supporter_a.user, "other_coordinator": coordinator_b, "nobody": None}[who]
    if user is not None:
        client.force_login(user)

    search = client.get(search_url(session_a), {"name": "supporters", "supporters-search": "sam"})
    page = client.get(invite_url(session_a), {"supporters-search": "sam"})

    assert search.status_code == status
    assert page.status_code == status
    assert "supporter found" not in search.content.decode()


def test_without_javascript_search_and_remove_come_back_as_a_get_keeping_the_chosen(
    client, session_a, coordinator_a, program_a
):
    casey, robin = named(program_a, "Casey"), named(program_a, "Robin")
    client.force_login(coordinator_a)
    sent = {"csrfmiddlewaretoken": "x", "who": "chosen", "supporters": [casey.pk, robin.pk]}

    search = client.post(
        invite_url(session_a), sent | {"supporters-search": "ro", "supporters-find": "1"}
    )
    remove = client.post(invite_url(session_a), sent | {"supporters-remove": str(casey.pk)})

    assert search.status_code == 302
    assert "csrfmiddlewaretoken" not in search["Location"]
    assert f"supporters={casey.pk}&supporters={robin.pk}" in search["Location"]
    assert "supporters-search=ro" in search["Location"]
    assert f"supporters={casey.pk}" not in remove["Location"]
    assert f"supporters={robin.pk}" in remove["Location"]
    page = client.get(search["Location"]).content.decode()
    assert re.search(r'<input type="radio" name="who" value="chosen"[^>]*checked', page)
    assert page.count('name="supporters"') == 2
    assert "1 supporter found." in page
    assert not session_a.attendances.exists()


def test_the_chosen_are_invited_and_the_already_invited_are_named_not_asked_again(
    client, session_a, coordinator_a, supporter_a, other_supporter_a
):
    AttendanceFactory(session=session_a, supporter=other_supporter_a)
    client.force_login(coordinator_a)

    response = client.post(
        invite_url(session_a),
        {"who": "chosen", "supporters": [supporter_a.pk, other_supporter_a.pk]},
        follow=True,
    )

    text = response.content.decode()
    assert "Invited 1. Each gets an e-mail." in text
    assert "Already invited, so not asked again: Robin" in text
    assert session_a.attendances.count() == 2
    assert OutboxMessage.objects.count() == 1


@pytest.mark.parametrize("kind", ["other_program", "paused", "not_a_number", "unknown"])
def test_a_supporter_who_cannot_be_invited_is_refused_with_a_message(
    client, session_a, coordinator_a, program_b, program_a, supporter_a, kind
):
    value = {
        "other_program": lambda: named(program_b, "Casey").pk,
        "paused": lambda: named(program_a, "Casey", status=SupporterStatus.PAUSED).pk,
        "not_a_number": lambda: "abc",
        "unknown": lambda: 999_999,
    }[kind]()
    client.force_login(coordinator_a)

    response = client.post(
        invite_url(session_a), {"who": "chosen", "supporters": [supporter_a.pk, value]}
    )

    assert response.status_code == 200
    assert "Some of those chosen are not ones you can choose here." in response.content.decode()
    assert not session_a.attendances.exists()


def test_too_many_chosen_at_once_is_explained(client, session_a, coordinator_a, supporter_a):
    client.force_login(coordinator_a)

    response = client.post(
        invite_url(session_a),
        {"who": "chosen", "supporters": list(range(1, MOST_CHOSEN + 2))},
    )

    assert response.status_code == 200
    assert f"Choose at most {MOST_CHOSEN} at a time." in response.content.decode()
    assert not session_a.attendances.exists()
