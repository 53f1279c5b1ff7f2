"""A program's team: its administrators tie each role to sites (none: the whole program), on a
page that lists the team a page at a time; every change is audited, and another program's
sites are refused."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import MembershipFactory, UserFactory, user_with_role
from alongside.accounts.models import Membership, Role
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.programs import services
from alongside.programs.factories import SiteFactory
from alongside.programs.services import SettingsError

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(program_a):
    return user_with_role(
        Role.SUPERVISOR, program_a, email="manager@example.org", first_name="Morgan"
    )


def role_of(user, program, role=Role.SUPERVISOR):
    return Membership.objects.get(user=user, program=program, role=role)


def site_names(membership):
    return sorted(membership.sites.values_list("name", flat=True))


# ---- the service ------------------------------------------------------------------------------


def test_an_administrator_ties_a_supervisor_to_a_site_and_the_change_is_audited(
    program_a, administrator, manager, brookline
):
    membership = role_of(manager, program_a)

    services.tie_role_to_sites(membership=membership, by=administrator, sites=[brookline])

    assert site_names(membership) == ["Brookline Community Hospital"]
    event = AuditEvent.objects.get(action="accounts.role.sites_changed")
    assert event.actor == administrator
    assert event.target_id == str(membership.pk)
    assert event.program_id == program_a.pk
    assert event.data == {
        "user": manager.pk,
        "role": "supervisor",
        "sites": [brookline.pk],
        "before": [],
    }


def test_ticking_no_site_gives_the_role_back_the_whole_program(
    program_a, administrator, manager, brookline
):
    membership = role_of(manager, program_a)
    membership.sites.set([brookline])

    services.tie_role_to_sites(membership=membership, by=administrator, sites=[])

    assert site_names(membership) == []
    assert AuditEvent.objects.get(action="accounts.role.sites_changed").data["before"] == [
        brookline.pk
    ]


def test_the_same_sites_again_change_nothing_and_audit_nothing(
    program_a, administrator, manager, brookline
):
    membership = role_of(manager, program_a)
    membership.sites.set([brookline])

    services.tie_role_to_sites(membership=membership, by=administrator, sites=[brookline])

    assert not AuditEvent.objects.filter(action="accounts.role.sites_changed").exists()


def test_a_site_of_another_program_is_refused_naming_it(
    program_a, program_b, administrator, manager
):
    elsewhere = SiteFactory(program=program_b, name="Springfield General")
    membership = role_of(manager, program_a)

    with pytest.raises(SettingsError) as refusal:
        services.tie_role_to_sites(membership=membership, by=administrator, sites=[elsewhere])

    assert refusal.value.errors == {"sites": ["Springfield General: not a site of this program."]}
    assert site_names(membership) == []
    assert not AuditEvent.objects.filter(action="accounts.role.sites_changed").exists()


def test_an_administrator_cannot_tie_their_own_administrator_role_to_sites(
    program_a, administrator, brookline
):
    own = role_of(administrator, program_a, Role.ADMINISTRATOR)

    with pytest.raises(SettingsError) as refusal:
        services.tie_role_to_sites(membership=own, by=administrator, sites=[brookline])

    assert "you would no longer manage the program's team" in refusal.value.errors["sites"][0]
    assert site_names(own) == []


@pytest.mark.parametrize("role", [Role.REFERRER, Role.PRIVACY_LEAD])
def test_a_referrer_or_a_privacy_lead_is_not_tied_to_sites(
    program_a, administrator, brookline, role
):
    person = user_with_role(role, program_a)
    membership = role_of(person, program_a, role)

    with pytest.raises(SettingsError) as refusal:
        services.tie_role_to_sites(membership=membership, by=administrator, sites=[brookline])

    assert refusal.value.errors["sites"][0].startswith(
        "Only coordinators, supervisors and administrators are tied to sites"
    )
    assert site_names(membership) == []


def test_a_peer_supporters_role_is_not_tied_to_sites_here(program_a, administrator, brookline):
    membership = MembershipFactory(program=program_a, role=Role.SUPPORTER)

    with pytest.raises(DomainError, match="Only a role on the program's team"):
        services.tie_role_to_sites(membership=membership, by=administrator, sites=[brookline])

    assert site_names(membership) == []


def test_someone_added_to_the_team_with_sites_holds_the_role_at_those_sites(
    program_a, administrator, brookline, worcester
):
    person, created = services.appoint_coordinator(
        program=program_a,
        by=administrator,
        email="Manager.Brookline@example.org",
        first_name="Morgan",
        role=Role.SUPERVISOR,
        sites=[brookline],
    )

    assert created
    assert site_names(role_of(person, program_a)) == ["Brookline Community Hospital"]
    assert list(
        AuditEvent.objects.filter(target_type="accounts.membership")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["accounts.role.granted", "accounts.role.sites_changed"]


def test_adding_someone_with_another_programs_site_adds_nobody(program_a, program_b, administrator):
    elsewhere = SiteFactory(program=program_b)

    with pytest.raises(SettingsError):
        services.appoint_coordinator(
            program=program_a,
            by=administrator,
            email="someone@example.org",
            first_name="",
            role=Role.SUPERVISOR,
            sites=[elsewhere],
        )

    assert not Membership.objects.filter(user__email="someone@example.org").exists()


# ---- the pages --------------------------------------------------------------------------------


def team_page(program):
    return reverse("programs:team", args=[program.pk])


def test_the_settings_page_leads_an_administrator_to_the_team(client, program_a, administrator):
    client.force_login(administrator)

    page = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()

    assert reverse("programs:team", args=[program_a.pk]) in page


def test_the_team_page_lists_each_role_with_its_sites_or_the_whole_program(
    client, program_a, administrator, coordinator_a, manager, brookline
):
    role_of(manager, program_a).sites.set([brookline])
    client.force_login(administrator)

    response = client.get(team_page(program_a))

    rows = {
        membership.user.email: membership for membership in response.context["page"].object_list
    }
    assert set(rows) == {"admin.a@example.org", "coordinator.a@example.org", "manager@example.org"}
    page = response.content.decode()
    assert "Brookline Community Hospital" in page
    assert "Whole program" in page
    assert reverse("programs:team_role_sites", args=[rows["manager@example.org"].pk]) in page


def test_the_team_page_leaves_out_peer_supporters_and_people_who_left(
    client, program_a, administrator, supporter_a, manager
):
    Membership.objects.filter(user=manager).update(is_active=False)
    client.force_login(administrator)

    page = client.get(team_page(program_a)).content.decode()

    assert supporter_a.user.email not in page
    assert "manager@example.org" not in page


def test_a_referrers_role_has_no_sites_to_change(client, program_a, administrator, brookline):
    referrer = user_with_role(Role.REFERRER, program_a, email="referrer@example.org")
    membership = role_of(referrer, program_a, Role.REFERRER)
    client.force_login(administrator)

    page = client.get(team_page(program_a)).content.decode()
    sites_page = client.get(reverse("programs:team_role_sites", args=[membership.pk]))

    assert "referrer@example.org" in page
    assert reverse("programs:team_role_sites", args=[membership.pk]) not in page
    assert sites_page.status_code == 404


def test_the_team_is_found_by_name_or_e_mail(client, program_a, administrator, manager):
    client.force_login(administrator)

    by_name = client.get(team_page(program_a), {"q": "morg"}).context["page"].object_list
    by_email = client.get(team_page(program_a), {"q": "MANAGER@"}).context["page"].object_list

    assert [membership.user for membership in by_name] == [manager]
    assert [membership.user for membership in by_email] == [manager]


def test_the_team_page_shows_fifty_roles_a_page(client, program_a, administrator):
    for number in range(60):
        user_with_role(
            Role.REFERRER, program_a, email=f"referrer{number:02}@example.org", first_name="Ref"
        )
    client.force_login(administrator)

    first = client.get(team_page(program_a)).context["page"]
    second = client.get(team_page(program_a), {"page": 2}).context["page"]

    assert len(first.object_list) == 50
    assert len(second.object_list) == 11
    assert first.paginator.count == 61


def test_the_team_page_reads_a_bounded_number_of_queries(
    client, program_a, administrator, brookline, django_assert_max_num_queries
):
    for number in range(30):
        referrer = user_with_role(Role.REFERRER, program_a, email=f"r{number}@example.org")
        role_of(referrer, program_a, Role.REFERRER).sites.set([brookline])
    client.force_login(administrator)

    with django_assert_max_num_queries(20):
        client.get(team_page(program_a))


def test_an_administrator_changes_a_roles_sites_through_the_page(
    client, program_a, administrator, manager, brookline, worcester
):
    membership = role_of(manager, program_a)
    client.force_login(administrator)
    page_url = reverse("programs:team_role_sites", args=[membership.pk])

    form_page = client.get(page_url).content.decode()
    response = client.post(page_url, {"sites": [brookline.pk, worcester.pk]})

    assert "Brookline Community Hospital" in form_page
    assert "Worcester Medical Center" in form_page
    assert response.status_code == 302
    assert response["Location"] == team_page(program_a)
    assert site_names(membership) == ["Brookline Community Hospital", "Worcester Medical Center"]


def test_a_site_of_another_program_sent_to_the_page_is_refused_beside_the_boxes(
    client, program_a, program_b, administrator, manager, brookline
):
    membership = role_of(manager, program_a)
    elsewhere = SiteFactory(program=program_b)
    client.force_login(administrator)

    response = client.post(
        reverse("programs:team_role_sites", args=[membership.pk]), {"sites": [elsewhere.pk]}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["sites"]
    assert site_names(membership) == []


def test_adding_someone_to_the_team_offers_the_sites_and_ties_the_role_to_them(
    client, program_a, administrator, brookline
):
    client.force_login(administrator)
    page_url = reverse("programs:appoint_coordinator", args=[program_a.pk])

    form_page = client.get(page_url).content.decode()
    response = client.post(
        page_url,
        {"email": "manager@example.org", "role": "supervisor", "sites": [brookline.pk]},
    )

    assert "Brookline Community Hospital" in form_page
    assert response.status_code == 302
    assert response["Location"] == team_page(program_a)
    membership = Membership.objects.get(user__email="manager@example.org")
    assert site_names(membership) == ["Brookline Community Hospital"]


@pytest.mark.parametrize("who", ["coordinator", "other_administrator", "stranger"])
def test_only_the_programs_administrators_open_the_team_pages(
    client, program_a, program_b, coordinator_a, manager, who
):
    visitor = {
        "coordinator": coordinator_a,
        "other_administrator": user_with_role(Role.ADMINISTRATOR, program_b),
        "stranger": UserFactory(),
    }[who]
    membership = role_of(manager, program_a)
    client.force_login(visitor)

    team = client.get(team_page(program_a))
    sites = client.post(reverse("programs:team_role_sites", args=[membership.pk]), {})

    expected = 404 if who == "other_administrator" else 403
    assert team.status_code == expected
    assert sites.status_code == expected
    assert not AuditEvent.objects.filter(action="accounts.role.sites_changed").exists()


def test_an_administrator_sets_the_program_employer_blind_and_the_settings_say_so(
    client, program_a, administrator, ms
):
    client.force_login(administrator)
    general = reverse("programs:edit_general", args=[program_a.pk])
    form = client.get(general).context["form"]
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, False) and not isinstance(value, list)
    }

    client.post(general, {**data, "experiences": [ms.pk], "is_employer_blind": "on"})
    summary = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()

    program_a.refresh_from_db()
    assert program_a.is_employer_blind
    assert "Employer-blind: a request is hidden from the team at the person&#x27;s site." in summary
    event = AuditEvent.objects.filter(action="programs.program.changed").latest("pk")
    assert event.data == {"fields": ["is_employer_blind"]}
