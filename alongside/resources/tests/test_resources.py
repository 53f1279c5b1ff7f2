"""The resource directory: maintained by coordinators, searched by everyone, shared in contacts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.core.errors import DomainError
from alongside.matches.factories import ContactLogFactory
from alongside.resources import queries, services
from alongside.resources.factories import ResourceFactory
from alongside.resources.models import Referral, Resource, ResourceCategory

CSV_TEXT = (
    "name,offers,category,region,languages,contact,eligibility,last_reviewed\n"
    "MS Society support line,Phone support,health,Ontario,en;fr,1 800 555 0100,Anyone,2026-05-01\n"
    "Food bank,Weekly groceries,food,Toronto,en,416 555 0101,,\n"
)


def test_a_coordinator_adds_a_resource(program_a, coordinator_a):
    resource = services.save_resource(
        program=program_a,
        by=coordinator_a,
        name="Legal clinic",
        offers="Free legal advice",
        category=ResourceCategory.LEGAL,
        languages=["en"],
    )

    assert resource.program == program_a
    assert Resource.objects.get().name == "Legal clinic"


def test_a_resource_with_an_unknown_language_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="languages"):
        services.save_resource(
            program=program_a,
            by=coordinator_a,
            name="Clinic",
            offers="Advice",
            category=ResourceCategory.LEGAL,
            languages=["xx"],
        )


def test_import_adds_new_resources_and_updates_those_with_the_same_name(program_a, coordinator_a):
    ResourceFactory(program=program_a, name="Food bank", offers="Old text")

    result = services.import_resources(program=program_a, by=coordinator_a, csv_text=CSV_TEXT)

    assert (result.added, result.updated) == (1, 1)
    line = Resource.objects.get(name="MS Society support line")
    assert line.languages == ["en", "fr"]
    assert line.last_reviewed_on == dt.date(2026, 5, 1)
    assert Resource.objects.get(name="Food bank").offers == "Weekly groceries"


def test_an_import_with_one_bad_row_saves_nothing_and_names_the_line(program_a, coordinator_a):
    bad = CSV_TEXT + "Broken,Something,nonsense,,,,,\n"

    with pytest.raises(DomainError, match="Line 4"):
        services.import_resources(program=program_a, by=coordinator_a, csv_text=bad)

    assert not Resource.objects.exists()


def test_an_import_without_the_needed_columns_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="columns"):
        services.import_resources(program=program_a, by=coordinator_a, csv_text="a,b\n1,2\n")


def test_referrals_are_counted_by_resource_program_and_region(match_a, program_a, coordinator_a):
    resource = ResourceFactory(program=program_a, region="Ottawa")
    for _ in range(2):
        contact = ContactLogFactory(match=match_a)
        services.record_referrals(contact=contact, resources=[resource], shared_by=coordinator_a)

    (count,) = queries.referral_counts(coordinator_a)

    assert (count.resource, count.program, count.region, count.count) == (
        resource.name,
        program_a.name,
        "Ottawa",
        2,
    )
    assert Referral.objects.count() == 2


# ---- the pages -----------------------------------------------------------------------------


def test_a_supporter_finds_a_resource_in_the_directory(client, program_a, supporter_a):
    ResourceFactory(program=program_a, name="Peer café")
    client.force_login(supporter_a.user)

    response = client.get(reverse("resources:directory"), {"q": "café"})

    assert "Peer café" in response.content.decode()


def test_a_coordinator_imports_a_csv_file(client, program_a, coordinator_a):
    client.force_login(coordinator_a)
    upload = SimpleUploadedFile("resources.csv", CSV_TEXT.encode(), content_type="text/csv")

    response = client.post(reverse("resources:import"), {"program": program_a.pk, "file": upload})

    assert response.status_code == 302
    assert Resource.objects.count() == 2


def test_a_coordinator_edits_a_resource(client, program_a, coordinator_a):
    resource = ResourceFactory(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("resources:edit", args=[resource.pk]),
        {
            "program": program_a.pk,
            "name": "Renamed",
            "offers": "More",
            "category": ResourceCategory.HOUSING,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.name, resource.category) == ("Renamed", ResourceCategory.HOUSING)
