"""The program setup pages: who may open them, and what a save does."""

import pytest
from django.urls import reverse

from alongside.accounts.models import Membership, Role
from alongside.programs.factories import ExperienceFactory
from alongside.programs.models import Program, Site

pytestmark = pytest.mark.django_db

NEW_PROGRAM = {
    "name": "Stroke peer support",
    "slug": "stroke",
    "description": "",
    "country": "CA",
    "subdivision": "NS",
    "time_zone": "America/Halifax",
    "languages": ["en"],
    "contact_methods": ["phone", "video"],
}


def rules_page(program):
    return reverse("programs:edit_rules", args=[program.pk])


def management(total, initial):
    return {
        "rules-TOTAL_FORMS": str(total),
        "rules-INITIAL_FORMS": str(initial),
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "30",
    }


# ---- who may open what ----------------------------------------------------------------------


def test_the_settings_index_offers_new_program_to_an_administrator(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("programs:settings_index")).content.decode()

    assert reverse("programs:new_program") in page


def test_the_settings_index_offers_no_new_program_to_a_coordinator(client, coordinator_a):
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings_index")).content.decode()

    assert reverse("programs:new_program") not in page


def test_a_coordinator_cannot_create_a_program(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("programs:new_program"), NEW_PROGRAM)

    assert response.status_code == 403
    assert not Program.objects.filter(slug="stroke").exists()


@pytest.mark.parametrize("persona", ["supporter_a", "referrer"])
def test_supporters_and_referrers_cannot_open_a_programs_settings(
    client, request, program_a, persona
):
    if persona == "referrer":
        from alongside.accounts.factories import user_with_role

        user = user_with_role(Role.REFERRER, program_a)
    else:
        user = request.getfixturevalue(persona).user
    client.force_login(user)

    for name in ("edit_general", "edit_rules", "edit_schedule", "edit_safety", "edit_languages"):
        assert client.get(reverse(f"programs:{name}", args=[program_a.pk])).status_code == 403


def test_a_coordinator_of_another_program_gets_not_found(client, coordinator_b, program_a):
    client.force_login(coordinator_b)

    for name in ("edit_general", "edit_rules", "edit_schedule", "edit_safety", "add_site"):
        assert client.get(reverse(f"programs:{name}", args=[program_a.pk])).status_code == 404


def test_a_coordinator_cannot_appoint_coordinators(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:appoint_coordinator", args=[program_a.pk]),
        {"email": "friend@example.org"},
    )

    assert response.status_code == 403


# ---- happy paths ----------------------------------------------------------------------------


def test_an_administrator_creates_a_program_and_appoints_its_first_coordinator(
    client, administrator
):
    client.force_login(administrator)

    response = client.post(reverse("programs:new_program"), NEW_PROGRAM)

    program = Program.objects.get(slug="stroke")
    assert response.url == reverse("programs:settings", args=[program.pk])
    page = client.get(response.url).content.decode()
    assert "Ways in: none yet: the program takes no requests." in page
    response = client.post(
        reverse("programs:appoint_coordinator", args=[program.pk]),
        {"email": "robin@example.org", "first_name": "Robin"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        program=program, role=Role.COORDINATOR, user__email="robin@example.org"
    ).exists()


def test_a_refused_new_program_shows_the_message_beside_its_field(client, administrator):
    client.force_login(administrator)

    response = client.post(reverse("programs:new_program"), NEW_PROGRAM | {"subdivision": "ZZ"})

    assert response.status_code == 200
    assert "The province or state “ZZ” is not one of CA" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


def test_a_coordinator_opens_the_ways_in(client, coordinator_a, program_a, ms):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:edit_general", args=[program_a.pk]),
        {
            "name": "Program A",
            "experiences": [ms.pk],
            "accepts_public_requests": "on",
            "accepts_referrals": "on",
        },
    )

    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.accepts_public_requests
    assert program_a.accepts_referrals
    assert not program_a.accepts_phone_requests


def test_a_schedule_error_is_shown_beside_the_field(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:edit_schedule", args=[program_a.pk]),
        {
            "time_zone": "America/Toronto",
            "country": "CA",
            "subdivision": "ON",
            "business_day_ends_at": "17:00",
            "sla_business_days": "0",
            "match_length_weeks": "26",
            "checkin_months": "1, 3, 6",
            "supporter_commitment_months": "12",
            "expected_hours_min": "2",
            "expected_hours_max": "4",
        },
    )

    page = response.content.decode()
    assert "Days to match must be a whole number from 1 to 30." in page
    assert 'id="id_sla_business_days_error"' in page


def test_the_rules_page_shows_one_row_per_rule_and_an_empty_one(
    client, coordinator_a, program_a, ms
):
    program_a.eligibility_rules = [
        {"kind": "minimum_age", "years": 18},
        {"kind": "self_assessment", "statement": "I am ready."},
    ]
    program_a.save()
    client.force_login(coordinator_a)

    page = client.get(rules_page(program_a)).content.decode()

    assert page.count('data-testid="rule-row"') == 3


def test_rules_are_saved_from_rows_with_an_either_or_group(client, coordinator_a, program_a, ms):
    client.force_login(coordinator_a)
    rows = {
        "rules-0-kind": "minimum_age",
        "rules-0-years": "18",
        "rules-1-kind": "lived_experience",
        "rules-1-experiences": ["ms"],
        "rules-1-relationships": ["self"],
        "rules-1-minimum_years": "2",
        "rules-1-group": "A",
        "rules-2-kind": "lived_experience",
        "rules-2-experiences": ["ms"],
        "rules-2-relationships": ["family"],
        "rules-2-group": "A",
    }

    response = client.post(rules_page(program_a), management(4, 0) | rows)

    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.eligibility_rules == [
        {"kind": "minimum_age", "years": 18},
        {
            "kind": "any_of",
            "rules": [
                {
                    "kind": "lived_experience",
                    "experiences": ["ms"],
                    "relationships": ["self"],
                    "minimum_years": 2,
                },
                {
                    "kind": "lived_experience",
                    "experiences": ["ms"],
                    "relationships": ["family"],
                    "minimum_years": 0,
                },
            ],
        },
    ]


def test_a_rule_row_missing_its_field_shows_the_message_beside_it(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        rules_page(program_a), management(1, 0) | {"rules-0-kind": "minimum_age"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Rule 1, Minimum age (years): Give the minimum age as whole years" in page
    assert 'id="id_rules-0-years_error"' in page


def test_an_either_or_group_of_one_row_is_refused(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        rules_page(program_a),
        management(1, 0)
        | {"rules-0-kind": "minimum_age", "rules-0-years": "18", "rules-0-group": "B"},
    )

    assert "Either/or group B has only one rule" in response.content.decode()


def test_a_rule_is_removed_by_ticking_its_box(client, coordinator_a, program_a):
    program_a.eligibility_rules = [
        {"kind": "minimum_age", "years": 18},
        {"kind": "self_assessment", "statement": "I am ready."},
    ]
    program_a.save()
    client.force_login(coordinator_a)

    client.post(
        rules_page(program_a),
        management(3, 2)
        | {
            "rules-0-kind": "minimum_age",
            "rules-0-years": "18",
            "rules-0-DELETE": "on",
            "rules-1-kind": "self_assessment",
            "rules-1-statement": "I am ready.",
        },
    )

    program_a.refresh_from_db()
    assert program_a.eligibility_rules == [{"kind": "self_assessment", "statement": "I am ready."}]


def test_add_another_rule_gives_one_more_row_and_saves_nothing(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        rules_page(program_a),
        management(1, 0) | {"rules-0-kind": "minimum_age", "rules-0-years": "18", "add_row": "1"},
    )

    assert response.content.decode().count('data-testid="rule-row"') == 2
    program_a.refresh_from_db()
    assert program_a.eligibility_rules == []


def test_a_coordinator_adds_and_renames_a_site(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    client.post(
        reverse("programs:add_site", args=[program_a.pk]),
        {"name": "North team", "kind": "clinic", "region": ""},
    )
    site = Site.objects.get(program=program_a)
    client.post(
        reverse("programs:edit_site", args=[site.pk]),
        {"name": "North community team", "kind": "clinic", "region": "North"},
    )

    site.refresh_from_db()
    assert site.name == "North community team"


def test_the_rules_page_offers_the_programs_experiences(client, coordinator_a, program_a, ms):
    ExperienceFactory(slug="gout", name="Gout")
    client.force_login(coordinator_a)

    page = client.get(rules_page(program_a)).content.decode()

    assert ms.name in page
    assert "Gout" not in page


def test_the_team_page_offers_the_roles_and_an_administrator_adds_a_referrer(
    client, administrator, program_a
):
    client.force_login(administrator)
    page_url = reverse("programs:appoint_coordinator", args=[program_a.pk])

    page = client.get(page_url).content.decode()
    response = client.post(page_url, {"email": "kim.nurse@example.org", "role": "referrer"})

    for role in ("Coordinator", "Supervisor", "Referrer", "Administrator"):
        assert role in page
    assert response.status_code == 302
    assert Membership.objects.filter(
        program=program_a, role=Role.REFERRER, user__email="kim.nurse@example.org"
    ).exists()
    settings = client.get(response.url).content.decode()
    assert "kim.nurse@example.org is now on the team as referrer." in settings


def test_a_coordinator_cannot_add_a_referrer(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:appoint_coordinator", args=[program_a.pk]),
        {"email": "kim.nurse@example.org", "role": "referrer"},
    )

    assert response.status_code == 403
    assert not Membership.objects.filter(user__email="kim.nurse@example.org").exists()


def test_the_rules_page_names_the_groups_in_the_readers_language(client, coordinator_a, program_a):
    coordinator_a.language = "fr-ca"
    coordinator_a.save()
    client.force_login(coordinator_a)

    page = client.get(rules_page(program_a)).content.decode()

    assert "Groupe A" in page
    assert "Group A" not in page
