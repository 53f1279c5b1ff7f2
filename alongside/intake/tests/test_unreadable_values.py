"""One request written with another field key shows "cannot be read: key missing" and takes no
page or API answer down (issue 11, finding 2)."""

from cryptography.fernet import Fernet
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from alongside.accounts.models import User
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.programs.models import Experience, Program

MARKER = "cannot be read: key missing"
LOST_KEY = Fernet.generate_key().decode()


def stored_about(request_id: int) -> str:
    table = connection.ops.quote_name(SupportRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT about FROM {table} WHERE id = %s", [request_id])  # noqa: S608
        return str(cursor.fetchone()[0])


def request_written_with_a_lost_key(program: Program, experience: Experience) -> SupportRequest:
    with override_settings(FIELD_ENCRYPTION_KEYS=[LOST_KEY]):
        peer = PeerFactory(program=program, first_name="Lost", last_name="Keyholder")
        return SupportRequestFactory(
            program=program, experience=experience, peer=peer, about="written with a lost key"
        )


def test_the_queue_and_the_api_answer_with_a_request_no_key_opens(
    client: Client,
    coordinator_a: User,
    program_a: Program,
    ms: Experience,
    request_a: SupportRequest,
) -> None:
    lost = request_written_with_a_lost_key(program_a, ms)
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:queue"))
    api = client.get(reverse("api:waiting_requests"))

    assert page.status_code == 200
    assert f"#{lost.pk}" in page.content.decode()
    assert f"#{request_a.pk}" in page.content.decode()
    assert api.status_code == 200
    assert {item["id"] for item in api.json()["items"]} == {lost.pk, request_a.pk}


def test_the_request_page_shows_the_marker_for_the_unreadable_values_and_the_rest(
    client: Client, coordinator_a: User, program_a: Program, ms: Experience
) -> None:
    lost = request_written_with_a_lost_key(program_a, ms)
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:request_detail", args=[lost.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert MARKER in content
    assert "Lost" not in content  # the first name is encrypted too: the marker stands for it
    assert f"#{lost.pk}" in content
    assert stored_about(lost.pk) not in content
    assert "written with a lost key" not in content


def test_saving_a_request_with_an_unreadable_value_keeps_what_was_stored(
    program_a: Program, ms: Experience
) -> None:
    lost = request_written_with_a_lost_key(program_a, ms)
    stored = stored_about(lost.pk)

    reloaded = SupportRequest.objects.get(pk=lost.pk)
    reloaded.save()

    assert stored_about(lost.pk) == stored
    with override_settings(FIELD_ENCRYPTION_KEYS=[LOST_KEY]):
        assert SupportRequest.objects.get(pk=lost.pk).about == "written with a lost key"
