"""The resource directory as a list: searched, filtered, sorted and paged, the listed resources
of the reader's programs only (and, for staff, those no longer listed when they ask), in a
number of queries that does not grow with the resources."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from alongside.resources.factories import ResourceFactory
from alongside.resources.lists import RESOURCE_DIRECTORY
from alongside.resources.models import ResourceCategory

DIRECTORY = reverse("resources:directory")


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(RESOURCE_DIRECTORY.rows(user, query))


def test_the_directory_is_searched_and_filtered_by_category_region_and_language(
    program_a, supporter_a
):
    wanted = ResourceFactory(
        program=program_a,
        name="Peer café",
        region="Ottawa",
        languages=["fr"],
        offers="Coffee",
        category=ResourceCategory.SOCIAL,
    )
    clinic = ResourceFactory(program=program_a, name="Clinic", region="Ottawa", languages=["en"])
    ResourceFactory(program=program_a, name="Hidden", is_active=False, languages=["fr"])
    user = supporter_a.user

    assert rows(user, q="coffee") == [wanted]
    assert rows(user, q="peer") == [wanted]
    assert rows(user, language="fr") == [wanted]
    assert rows(user, region="Ottawa") == [clinic, wanted]
    assert rows(user, category=ResourceCategory.SOCIAL) == [wanted]
    assert rows(user, category=ResourceCategory.FOOD) == []


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Arbour", "Bridge", "Cedar"]),
        ("-name", ["Cedar", "Bridge", "Arbour"]),
        ("region", ["Cedar", "Arbour", "Bridge"]),
        ("category", ["Bridge", "Cedar", "Arbour"]),  # in the form's order: mental health first
        ("-reviewed", ["Cedar", "Bridge", "Arbour"]),
    ],
)
def test_the_directory_sorts_by_a_column(program_a, supporter_a, sort, expected):
    ResourceFactory(
        program=program_a,
        name="Arbour",
        region="Ottawa",
        category=ResourceCategory.FOOD,
        last_reviewed_on="2026-01-05",
    )
    ResourceFactory(
        program=program_a,
        name="Bridge",
        region="Toronto",
        category=ResourceCategory.MENTAL_HEALTH,
        last_reviewed_on="2026-03-05",
    )
    ResourceFactory(
        program=program_a,
        name="Cedar",
        region="Kingston",
        category=ResourceCategory.HEALTH,
        last_reviewed_on="2026-06-05",
    )

    assert [resource.name for resource in rows(supporter_a.user, sort=sort)] == expected


def test_staff_find_what_is_no_longer_listed_and_the_others_never_do(
    program_a, coordinator_a, supporter_a
):
    listed = ResourceFactory(program=program_a, name="Listed")
    hidden = ResourceFactory(program=program_a, name="Hidden", is_active=False)

    assert rows(coordinator_a) == [listed]
    assert rows(coordinator_a, listed="no") == [hidden]
    assert rows(coordinator_a, listed="all") == [hidden, listed]
    assert rows(supporter_a.user, listed="all") == [listed]


def test_the_region_filter_offers_only_regions_the_reader_may_see(
    client, program_a, program_b, supporter_a
):
    ResourceFactory(program=program_a, region="Ottawa")
    ResourceFactory(program=program_a, region="Secret Valley", is_active=False)
    ResourceFactory(program=program_b, region="Elsewhere")
    client.force_login(supporter_a.user)

    page = client.get(DIRECTORY)

    assert list(page.context["list"].form.fields["region"].choices)[1:] == [("Ottawa", "Ottawa")]
    assert "listed" not in page.context["list"].form.fields


def test_a_reader_never_sees_another_programs_resources_whatever_the_parameters(
    client, program_a, program_b, supporter_a
):
    ResourceFactory(program=program_a, name="Ours")
    ResourceFactory(program=program_b, name="Theirs", region="Theirs")
    client.force_login(supporter_a.user)

    for params in ({}, {"program": program_b.pk}, {"region": "Theirs"}, {"q": "theirs"}):
        shown = client.get(DIRECTORY, params).context["list"].page.object_list
        assert {resource.name for resource in shown} <= {"Ours"}


def test_a_supporter_reads_the_directory_without_keeping_or_exporting_it(
    client, program_a, supporter_a
):
    ResourceFactory(program=program_a, name="Peer café")
    client.force_login(supporter_a.user)

    page = client.get(DIRECTORY)

    assert "Peer café" in page.text
    assert "Export CSV" not in page.text
    assert "Add a resource" not in page.text


def test_a_coordinator_keeps_and_exports_the_directory_without_confirming_who_they_are(
    client, program_a, coordinator_a
):
    resource = ResourceFactory(program=program_a, name="Peer café")
    client.force_login(coordinator_a)

    page = client.get(DIRECTORY)

    assert reverse("resources:edit", args=[resource.pk]) in page.text
    assert "Export CSV" in page.text
    assert "You will be asked to confirm it is you" not in page.text


def test_a_stranger_is_sent_to_sign_in(client):
    assert "/accounts/login/" in client.get(DIRECTORY).url


def test_the_directory_pages_at_the_size_chosen(client, program_a, supporter_a):
    for number in range(30):
        ResourceFactory(program=program_a, name=f"Service {number:02}")
    client.force_login(supporter_a.user)

    page = client.get(DIRECTORY, {"per_page": "25", "page": "2"})

    assert [resource.name for resource in page.context["list"].page.object_list] == [
        f"Service {number}" for number in range(25, 30)
    ]
    assert page.context["list"].count_text == "30 resources"


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-category"}, {"q": "serv", "language": "fr"}, {"listed": "all"}]
)
def test_the_directory_takes_as_many_queries_for_thirty_resources_as_for_one(
    client, program_a, coordinator_a, django_assert_max_num_queries, params
):
    ResourceFactory(program=program_a, name="Service first")
    client.force_login(coordinator_a)
    params |= {"program": program_a.pk}
    with django_assert_max_num_queries(10) as few:
        client.get(DIRECTORY, params)

    for number in range(29):
        ResourceFactory(program=program_a, name=f"Service {number}", region=f"Region {number}")
    # The menu's, the programs, the regions, the count and the page.
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(DIRECTORY, params)

    assert page.context["list"].count == 30
