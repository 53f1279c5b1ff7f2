"""A supporter's named supervisor: the program's coordinators choose one among its supervisors
whose sites hold the supporter's (none: any supervisor of the program); audited."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import UserFactory, give_authenticator_app, user_with_role
from alongside.accounts.models import Membership, Role
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.supporters.services.supervision import choose_supervisor

pytestmark = pytest.mark.django_db


def supervisor_of(program, *sites, email="lee@example.org", first_name="Lee"):
    user = user_with_role(
        Role.SUPERVISOR, program, email=email, first_name=first_name, last_name=""
    )
    Membership.objects.get(user=user, program=program).sites.set(sites)
    return user


@pytest.fixture
def at_brookline(supporter_a, brookline):
    supporter_a.site = brookline
    supporter_a.save(update_fields=["site"])
    return supporter_a


# ---- the service ------------------------------------------------------------------------------


def test_a_coordinator_names_a_supervisor_of_the_supporters_site_and_it_is_audited(
    program_a, coordinator_a, at_brookline, brookline
):
    lee = supervisor_of(program_a, brookline)

    choose_supervisor(supporter=at_brookline, by=coordinator_a, supervisor=lee)

    at_brookline.refresh_from_db()
    assert at_brookline.supervisor == lee
    event = AuditEvent.objects.get(action="supporters.supervisor.chosen")
    assert event.actor == coordinator_a
    assert event.target_id == str(at_brookline.pk)
    assert event.data == {"supervisor": lee.pk, "before": None}


def test_a_supervisor_of_the_whole_program_supervises_a_supporter_at_any_site(
    program_a, coordinator_a, at_brookline
):
    lee = supervisor_of(program_a)

    choose_supervisor(supporter=at_brookline, by=coordinator_a, supervisor=lee)

    at_brookline.refresh_from_db()
    assert at_brookline.supervisor == lee


def test_a_supervisor_tied_to_other_sites_is_refused_naming_the_sites(
    program_a, coordinator_a, at_brookline, worcester
):
    lee = supervisor_of(program_a, worcester)

    with pytest.raises(DomainError) as refusal:
        choose_supervisor(supporter=at_brookline, by=coordinator_a, supervisor=lee)

    assert refusal.value.message == (
        "Lee supervises at Worcester Medical Center only, not at Brookline Community Hospital "
        "where Sam works. Choose a supervisor tied to Brookline Community Hospital or to the "
        "whole program."
    )
    at_brookline.refresh_from_db()
    assert at_brookline.supervisor is None
    assert not AuditEvent.objects.filter(action="supporters.supervisor.chosen").exists()


def test_a_supervisor_tied_to_sites_is_refused_for_a_supporter_at_no_site(
    program_a, coordinator_a, supporter_a, brookline
):
    lee = supervisor_of(program_a, brookline)

    with pytest.raises(DomainError, match="Sam works at no site of the program"):
        choose_supervisor(supporter=supporter_a, by=coordinator_a, supervisor=lee)


def test_someone_who_is_not_a_supervisor_of_the_program_is_refused(
    program_a, program_b, coordinator_a, supporter_a
):
    elsewhere = supervisor_of(program_b, email="elsewhere@example.org", first_name="Ari")

    with pytest.raises(DomainError, match="Ari is not a supervisor of this program"):
        choose_supervisor(supporter=supporter_a, by=coordinator_a, supervisor=elsewhere)


def test_a_supervisor_who_left_the_role_is_refused(program_a, coordinator_a, supporter_a):
    lee = supervisor_of(program_a)
    Membership.objects.filter(user=lee).update(is_active=False)

    with pytest.raises(DomainError, match="Lee is not a supervisor of this program"):
        choose_supervisor(supporter=supporter_a, by=coordinator_a, supervisor=lee)


def test_choosing_none_leaves_it_to_any_supervisor_of_the_program(
    program_a, coordinator_a, supporter_a
):
    lee = supervisor_of(program_a)
    choose_supervisor(supporter=supporter_a, by=coordinator_a, supervisor=lee)

    choose_supervisor(supporter=supporter_a, by=coordinator_a, supervisor=None)

    supporter_a.refresh_from_db()
    assert supporter_a.supervisor is None
    events = AuditEvent.objects.filter(action="supporters.supervisor.chosen").order_by("pk")
    assert [event.data for event in events] == [
        {"supervisor": lee.pk, "before": None},
        {"supervisor": None, "before": lee.pk},
    ]


def test_only_the_programs_coordinators_choose_a_supervisor(program_a, supporter_a):
    lee = supervisor_of(program_a)

    with pytest.raises(DomainError, match="Only the program's coordinators"):
        choose_supervisor(supporter=supporter_a, by=lee, supervisor=lee)

    supporter_a.refresh_from_db()
    assert supporter_a.supervisor is None


# ---- the supporter's page ---------------------------------------------------------------------


def detail(supporter):
    return reverse("supporters:detail", args=[supporter.pk])


def choose(supporter):
    return reverse("supporters:choose_supervisor", args=[supporter.pk])


def test_the_supporters_page_says_any_supervisor_until_one_is_named(
    client, coordinator_a, supporter_a
):
    client.force_login(coordinator_a)

    page = client.get(detail(supporter_a)).content.decode()

    assert "Supervisor:" in page
    assert "Any supervisor of the program" in page


def test_a_coordinator_chooses_among_the_programs_supervisors_each_with_their_sites(
    client, program_a, program_b, coordinator_a, at_brookline, brookline
):
    supervisor_of(program_a, brookline, email="lee@example.org", first_name="Lee")
    supervisor_of(program_a, email="kim@example.org", first_name="Kim")
    supervisor_of(program_b, email="ari@example.org", first_name="Ari")
    client.force_login(coordinator_a)

    form = client.get(detail(at_brookline)).context["supervisor_form"]

    labels = [label for value, label in form.fields["supervisor"].choices]
    assert labels[0] == "Any supervisor of the program"
    assert sorted(labels[1:]) == [
        "Kim (whole program)",
        "Lee (Brookline Community Hospital)",
    ]


def test_a_coordinator_tied_to_the_supporters_site_sees_the_supervisor_but_no_form_to_change_it(
    client, program_a, at_brookline, brookline
):
    lee = supervisor_of(program_a, brookline)
    at_brookline.supervisor = lee
    at_brookline.save(update_fields=["supervisor"])
    tied = user_with_role(Role.COORDINATOR, program_a, email="tied@example.org")
    Membership.objects.get(user=tied, program=program_a).sites.set([brookline])
    give_authenticator_app(tied)
    client.force_login(tied)

    page = client.get(detail(at_brookline)).content.decode()
    refused = client.post(choose(at_brookline), {"supervisor-supervisor": ""})

    assert "Supervisor:" in page
    assert "Lee" in page
    assert "Save the supervisor" not in page
    assert refused.status_code == 403
    at_brookline.refresh_from_db()
    assert at_brookline.supervisor == lee


def test_a_coordinator_names_a_supervisor_and_the_page_shows_them(
    client, program_a, coordinator_a, at_brookline, brookline
):
    lee = supervisor_of(program_a, brookline)
    client.force_login(coordinator_a)

    response = client.post(choose(at_brookline), {"supervisor-supervisor": lee.pk})
    page = client.get(detail(at_brookline)).content.decode()

    assert response.status_code == 302
    assert response["Location"] == detail(at_brookline)
    at_brookline.refresh_from_db()
    assert at_brookline.supervisor == lee
    assert "Supervisor saved." in page


def test_a_supervisor_of_another_site_is_refused_with_the_reason_beside_the_choice(
    client, program_a, coordinator_a, at_brookline, worcester
):
    lee = supervisor_of(program_a, worcester)
    client.force_login(coordinator_a)

    response = client.post(choose(at_brookline), {"supervisor-supervisor": lee.pk})

    assert response.status_code == 200
    assert "not at Brookline Community Hospital where Sam works" in response.content.decode()
    at_brookline.refresh_from_db()
    assert at_brookline.supervisor is None


@pytest.mark.parametrize("who", ["supervisor", "other_coordinator", "stranger"])
def test_nobody_but_the_programs_staff_names_a_supervisor(
    client, program_a, program_b, supporter_a, who
):
    lee = supervisor_of(program_a)
    visitor = {
        "supervisor": lee,
        "other_coordinator": user_with_role(Role.COORDINATOR, program_b),
        "stranger": UserFactory(),
    }[who]
    client.force_login(visitor)

    response = client.post(choose(supporter_a), {"supervisor-supervisor": lee.pk})

    assert response.status_code == (404 if who == "other_coordinator" else 403)
    supporter_a.refresh_from_db()
    assert supporter_a.supervisor is None
