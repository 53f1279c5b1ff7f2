"""Reading programs and a request through the API: what the creator's pages show, in the
token's program only; the scope checked; lists paged; bad values a 422."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.programs.factories import ProgramFactory
from alongside.programs.queries import programs_staffed_by
from alongside.resources.factories import ResourceFactory
from alongside.resources.models import ResourceCategory

pytestmark = pytest.mark.django_db


def ids(response):
    return [item["id"] for item in response.json()["items"]]


# ---- Programs --------------------------------------------------------------------------------


def test_a_token_reads_its_programs_public_settings(client, program_a, coordinator_of_both):
    program_a.sla_business_days = 3
    program_a.match_length_weeks = 12
    program_a.accepts_referrals = True
    program_a.save()
    headers = token_header(program_a, coordinator_of_both, Scope.READ_PROGRAMS)

    body = client.get(reverse("api:programs"), **headers).json()

    (program,) = body["items"]  # the creator also coordinates B: the token keeps to A
    assert program["id"] == program_a.pk
    assert program["name"] == "Program A"
    assert (program["sla_business_days"], program["match_length_weeks"]) == (3, 12)
    assert program["accepts_referrals"] is True
    assert [item["name"] for item in program["experiences"]] == ["Multiple sclerosis"]
    assert client.get(reverse("api:program", args=[program_a.pk]), **headers).json() == program


def test_a_person_reads_the_programs_their_settings_pages_list(
    client, coordinator_of_both, program_a, program_b
):
    ProgramFactory(slug="program-c", name="Program C")
    client.force_login(coordinator_of_both)

    listed = ids(client.get(reverse("api:programs")))

    assert listed == [p.pk for p in programs_staffed_by(coordinator_of_both)]
    assert listed == [program_a.pk, program_b.pk]


def test_another_programs_token_is_answered_404(client, program_a, program_b, coordinator_of_both):
    headers = token_header(program_b, coordinator_of_both, Scope.READ_PROGRAMS)

    response = client.get(reverse("api:program", args=[program_a.pk]), **headers)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_a_token_without_the_scope_is_refused(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)

    for url in (reverse("api:programs"), reverse("api:program", args=[program_a.pk])):
        response = client.get(url, **headers)
        assert response.status_code == 403
        assert "read:programs" in response.json()["detail"]


def test_people_without_a_staff_role_read_no_program(client, program_a, supporter_a):
    client.force_login(supporter_a.user)

    assert ids(client.get(reverse("api:programs"))) == []
    assert client.get(reverse("api:program", args=[program_a.pk])).status_code == 404


def test_the_programs_list_pages_by_cursor(client, coordinator_of_both, program_a, program_b):
    client.force_login(coordinator_of_both)
    url = reverse("api:programs")

    first = client.get(url, {"limit": 1, "ordering": "-name"})
    second = client.get(
        url, {"limit": 1, "ordering": "-name", "cursor": first.json()["next_cursor"]}
    )

    assert ids(first) + ids(second) == [program_b.pk, program_a.pk]
    assert second.json()["next_cursor"] is None


@pytest.mark.parametrize(
    "parameters",
    [{"limit": 0}, {"ordering": "slug"}, {"cursor": "made-up"}],
)
def test_a_bad_programs_parameter_is_a_422(client, coordinator_a, parameters):
    client.force_login(coordinator_a)

    assert client.get(reverse("api:programs"), parameters).status_code == 422


def test_a_program_id_too_large_is_a_422(client, coordinator_a):
    client.force_login(coordinator_a)

    assert client.get(f"/api/v1/programs/{10**30}").status_code == 422


# ---- One request -----------------------------------------------------------------------------


def test_a_token_reads_a_request_as_staff_see_it_without_name_or_contact(
    client, program_a, coordinator_a, request_a
):
    headers = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)

    body = client.get(reverse("api:request_detail", args=[request_a.pk]), **headers).json()

    assert body["id"] == request_a.pk
    assert (body["program_id"], body["status"], body["source"]) == (
        program_a.pk,
        "new",
        request_a.source,
    )
    assert body["experience"] == "Multiple sclerosis"
    assert body["open_match_id"] is None
    shown = str(body)
    peer = request_a.peer
    for personal in (peer.first_name, peer.last_name, peer.email, peer.phone):
        if personal:
            assert personal not in shown


def test_reading_a_request_is_audited_as_the_page_reads_it(client, coordinator_a, request_a):
    client.force_login(coordinator_a)

    client.get(reverse("api:request_detail", args=[request_a.pk]))

    event = AuditEvent.objects.get(action="intake.request.viewed")
    assert (event.actor, event.target_id) == (coordinator_a, str(request_a.pk))
    assert event.data == {"contact_details": False}


def test_a_matched_request_names_its_open_match(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    body = client.get(reverse("api:request_detail", args=[match_a.request_id])).json()

    assert body["open_match_id"] == match_a.pk


def test_a_request_of_another_program_is_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    request_b = SupportRequestFactory(program=program_b)
    request_a = SupportRequestFactory(program=program_a)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_REQUESTS)

    assert (
        client.get(reverse("api:request_detail", args=[request_a.pk]), **headers).status_code == 200
    )
    response = client.get(reverse("api:request_detail", args=[request_b.pk]), **headers)
    assert response.status_code == 404


def test_a_request_is_refused_to_a_token_without_the_scope(
    client, program_a, coordinator_a, request_a
):
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    response = client.get(reverse("api:request_detail", args=[request_a.pk]), **headers)

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a", "peer_user"])
def test_a_request_is_404_to_people_whose_pages_do_not_show_it(client, request, request_a, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("api:request_detail", args=[request_a.pk])).status_code == 404


def test_a_request_is_404_to_its_referrer(client, program_a, request_a):
    """A referrer follows their referral on its own page, never the staff's."""
    referrer = user_with_role(Role.REFERRER, program_a)
    request_a.referred_by = referrer
    request_a.save()
    client.force_login(referrer)

    assert client.get(reverse("api:request_detail", args=[request_a.pk])).status_code == 404


def test_a_request_id_not_a_number_is_a_422(client, coordinator_a):
    client.force_login(coordinator_a)

    assert client.get(f"/api/v1/requests/{10**30}").status_code == 422


# ---- The resource directory ------------------------------------------------------------------


def test_a_token_lists_its_programs_listed_resources(
    client, program_a, program_b, coordinator_of_both
):
    listed = ResourceFactory(program=program_a, name="Counselling")
    ResourceFactory(program=program_a, name="Closed", is_active=False)
    ResourceFactory(program=program_b, name="Elsewhere")
    headers = token_header(program_a, coordinator_of_both, Scope.READ_PROGRAMS)

    (item,) = client.get(reverse("api:resources"), **headers).json()["items"]

    assert (item["id"], item["name"], item["languages"]) == (listed.pk, "Counselling", ["en", "fr"])


def test_a_supporter_reads_their_programs_directory(client, program_a, program_b, supporter_a):
    ours = ResourceFactory(program=program_a)
    ResourceFactory(program=program_b)
    client.force_login(supporter_a.user)

    assert ids(client.get(reverse("api:resources"))) == [ours.pk]


def test_people_without_a_role_read_no_resource(client, program_a, peer_user):
    ResourceFactory(program=program_a)
    client.force_login(peer_user)

    assert ids(client.get(reverse("api:resources"))) == []


def test_resources_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    assert client.get(reverse("api:resources"), **headers).status_code == 403


def test_resources_page_and_filter(client, coordinator_a, program_a):
    made = [ResourceFactory(program=program_a, name=name) for name in ("Alpha", "Beta", "Gamma")]
    made[1].languages = ["es"]
    made[1].category = ResourceCategory.LEGAL
    made[1].save()
    client.force_login(coordinator_a)
    url = reverse("api:resources")

    first = client.get(url, {"limit": 2})
    second = client.get(url, {"limit": 2, "cursor": first.json()["next_cursor"]})

    assert ids(first) + ids(second) == [resource.pk for resource in made]
    assert ids(client.get(url, {"language": "es"})) == [made[1].pk]
    assert ids(client.get(url, {"category": "legal"})) == [made[1].pk]
    for bad in ({"language": "xx"}, {"category": "magic"}, {"ordering": "region"}):
        assert client.get(url, bad).status_code == 422
