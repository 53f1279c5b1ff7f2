import datetime as dt
import re
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.supporters.models import SupporterStatus

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limit counts in the cache; each test starts with none counted."""
    cache.clear()
    yield
    cache.clear()


def answers(program, ms, **overrides) -> dict[str, object]:
    """What a person fills in on the public form, every rule met."""
    return {
        "first_name": "Jordan",
        "email": "jordan.lee@example.net",
        "phone": "416 555 0199",
        "contact_methods": [ContactMethod.EMAIL, ContactMethod.PHONE],
        "language": Language.ENGLISH,
        "experience": str(ms.pk),
        "relationship": Relationship.SELF,
        "since_year": "2021",
        "about": "I was diagnosed last spring.",
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    } | overrides


def form_url(program) -> str:
    return reverse("intake:request_support", args=[program.slug])


def input_tag(content: str, name: str) -> str:
    """The HTML of the <input> named `name`."""
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', content)
    assert match, f"no input named {name}"
    return match.group(0)


# ---- the public form -----------------------------------------------------------------------


def test_the_public_form_opens_with_the_crisis_lines_and_the_promise(client, program_a):
    response = client.get(form_url(program_a))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Ask for peer support" in content
    assert "9-8-8" in content
    assert "within 2 business days" in content


def test_the_form_read_in_french_offers_to_talk_in_french_first(client, program_a):
    program_a.languages = [Language.ENGLISH, Language.FRENCH]
    program_a.save()

    page = client.get(form_url(program_a), headers={"accept-language": "fr-CA"}).content.decode()

    assert '<option value="fr" selected>' in page


def test_a_program_not_taking_public_requests_has_no_form(client, program_a):
    program_a.accepts_public_requests = False
    program_a.save()

    assert client.get(form_url(program_a)).status_code == 404


def test_sending_the_form_records_the_request_and_shows_when_to_expect_a_call(
    client, program_a, ms
):
    with time_machine.travel(dt.datetime(2026, 1, 9, 15, tzinfo=TORONTO), tick=False):
        response = client.post(form_url(program_a), answers(program_a, ms))
        received = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == reverse("intake:request_received", args=[program_a.slug])
    support_request = SupportRequest.objects.get()
    assert support_request.peer.phone == "+14165550199"
    assert support_request.experience_since == dt.date(2021, 1, 1)
    assert received.status_code == 200
    due = received.content.decode()
    assert "Tuesday 13 January 2026, 17:00 (America/Toronto time)" in due


def test_the_received_page_shows_the_due_time_in_the_programs_zone_not_the_viewers(
    client, program_a, ms
):
    program_a.time_zone = "America/Vancouver"
    program_a.subdivision = "BC"
    program_a.save()

    with time_machine.travel(dt.datetime(2026, 1, 9, 15, tzinfo=TORONTO), tick=False):
        response = client.post(form_url(program_a), answers(program_a, ms), follow=True)

    # 12:00 in Vancouver on Friday: due Tuesday at 17:00 Vancouver time.
    assert "Tuesday 13 January 2026, 17:00 (America/Vancouver time)" in response.content.decode()


def test_a_form_without_consent_shows_the_error_beside_the_box_and_in_the_summary(
    client, program_a, ms
):
    data = answers(program_a, ms)
    del data["consent"]

    response = client.post(form_url(program_a), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "data-error-summary" in content
    assert content.count("We need your agreement before we can help.") == 2  # summary + field
    assert 'aria-invalid="true"' in input_tag(content, "consent")
    assert 'aria-invalid="true"' not in input_tag(content, "first_name")
    assert not SupportRequest.objects.exists()


def test_choosing_email_without_giving_an_address_is_explained_at_the_email_field(
    client, program_a, ms
):
    data = answers(program_a, ms, email="", contact_methods=[ContactMethod.EMAIL])

    response = client.post(form_url(program_a), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "You chose e-mail: please give your e-mail address." in content
    assert 'href="#id_email"' in content  # the summary links to the field
    assert 'aria-invalid="true"' in input_tag(content, "email")
    assert not SupportRequest.objects.exists()


def test_the_answers_are_kept_when_the_form_comes_back_with_an_error(client, program_a, ms):
    data = answers(program_a, ms)
    del data["consent"]

    content = client.post(form_url(program_a), data).content.decode()

    assert 'value="Jordan"' in input_tag(content, "first_name")
    assert data["submission_token"] in input_tag(content, "submission_token")


@pytest.mark.parametrize(
    "bad",
    [
        {"since_year": "abc"},
        {"since_year": "3000"},
        {"experience": "99999"},
        {"language": "klingon"},
        {"contact_methods": ["pigeon"]},
        {"phone": "not a phone"},
        {"email": "not an address"},
        {"submission_token": "not-a-uuid"},
        {"first_name": ""},
    ],
    ids=lambda bad: "-".join(bad),
)
def test_bad_answers_come_back_with_a_message_and_never_a_500(client, program_a, ms, bad):
    response = client.post(form_url(program_a), answers(program_a, ms, **bad))

    assert response.status_code == 200
    assert "data-error-summary" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_sending_the_same_form_twice_records_one_request(client, program_a, ms):
    data = answers(program_a, ms)

    first = client.post(form_url(program_a), data)
    second = client.post(form_url(program_a), data)

    assert first.status_code == second.status_code == 302
    assert SupportRequest.objects.count() == 1


def test_back_then_send_again_records_one_request_and_shows_the_first_confirmation(
    client, program_a, ms
):
    client.post(form_url(program_a), answers(program_a, ms))
    first = client.get(reverse("intake:request_received", args=[program_a.slug]))
    # Back: the page comes with a new token, the browser fills in what was typed.
    again = client.post(form_url(program_a), answers(program_a, ms), follow=True)

    support_request = SupportRequest.objects.get()
    assert again.status_code == 200
    assert f"Your reference: {support_request.reference}" in first.text
    assert f"Your reference: {support_request.reference}" in again.text
    assert client.session["intake.received_request"] == support_request.pk


def test_a_bot_filling_the_hidden_field_sees_a_thank_you_and_records_nothing(client, program_a, ms):
    response = client.post(
        form_url(program_a), answers(program_a, ms, website="http://spam.example"), follow=True
    )

    assert response.status_code == 200
    assert "Thank you. We have your request." in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_after_the_limit_of_submissions_from_one_address_the_next_is_refused_with_429(
    client, program_a, ms, settings
):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    for number in range(2):
        sent = answers(program_a, ms, about=f"Request number {number}.")
        assert client.post(form_url(program_a), sent).status_code == 302

    response = client.post(form_url(program_a), answers(program_a, ms, about="A third one."))

    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert SupportRequest.objects.count() == 2


def test_the_rate_limit_does_not_hold_back_another_address(client, program_a, ms, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    client.post(form_url(program_a), answers(program_a, ms))
    client.post(form_url(program_a), answers(program_a, ms))

    response = client.post(form_url(program_a), answers(program_a, ms), REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 302


def test_the_rate_limit_does_not_count_forms_sent_back_with_errors(client, program_a, ms, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    for _ in range(3):
        client.post(form_url(program_a), answers(program_a, ms, consent=""))

    response = client.post(form_url(program_a), answers(program_a, ms))

    assert response.status_code == 302
    assert SupportRequest.objects.count() == 1


def test_the_received_page_without_a_request_in_the_session_still_thanks_the_person(
    client, program_a
):
    response = client.get(reverse("intake:request_received", args=[program_a.slug]))

    assert response.status_code == 200
    assert "A coordinator will contact you soon." in response.content.decode()


def test_the_received_page_does_not_show_a_request_from_another_program(
    client, program_a, program_b, ms
):
    client.post(form_url(program_a), answers(program_a, ms), follow=True)

    response = client.get(reverse("intake:request_received", args=[program_b.slug]))

    assert "A coordinator will contact you soon." in response.content.decode()


# ---- the queue -----------------------------------------------------------------------------


def waiting_request(program, ms, *, due_in_hours: int) -> SupportRequest:
    return SupportRequestFactory(
        program=program, experience=ms, due_at=timezone.now() + dt.timedelta(hours=due_in_hours)
    )


def test_the_queue_lists_only_the_coordinators_programs_requests_soonest_due_first(
    client, coordinator_a, program_a, program_b, ms
):
    later = waiting_request(program_a, ms, due_in_hours=48)
    overdue = waiting_request(program_a, ms, due_in_hours=-3)
    sooner = waiting_request(program_a, ms, due_in_hours=5)
    waiting_request(program_b, ms, due_in_hours=1)
    SupportRequestFactory(program=program_a, experience=ms, status=RequestStatus.MATCHED)
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:queue"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [overdue, sooner, later]
    content = response.content.decode()
    positions = [content.index(f"#{item.pk}</a>") for item in (overdue, sooner, later)]
    assert positions == sorted(positions)
    assert "Overdue" in content


def test_the_queue_can_be_narrowed_to_one_program_but_not_to_another_programs(
    client, coordinator_a, program_a, program_b, ms
):
    mine = waiting_request(program_a, ms, due_in_hours=5)
    waiting_request(program_b, ms, due_in_hours=5)
    client.force_login(coordinator_a)

    narrowed = client.get(reverse("intake:queue"), {"program": program_a.pk})
    elsewhere = client.get(reverse("intake:queue"), {"program": program_b.pk})
    nonsense = client.get(reverse("intake:queue"), {"program": "abc"})

    assert list(narrowed.context["page"].object_list) == [mine]
    assert list(elsewhere.context["page"].object_list) == [mine]
    assert nonsense.status_code == 200


def test_the_queue_shows_fifty_requests_a_page_in_a_handful_of_queries(
    client, coordinator_a, program_a, ms, django_assert_max_num_queries
):
    for hours in range(60):
        waiting_request(program_a, ms, due_in_hours=hours)
    client.force_login(coordinator_a)

    # The menu's two among them (whether they take calls, the inbox count), the program
    # chosen, and the count of the requests waiting in it.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("intake:queue"), {"program": program_a.pk})

    assert len(response.context["page"].object_list) == 50
    assert "60 requests" in response.content.decode()
    # The next page keeps the program chosen.
    assert f"?program={program_a.pk}&amp;page=2" in response.content.decode()
    second = client.get(reverse("intake:queue"), {"program": program_a.pk, "page": 2})
    assert len(second.context["page"].object_list) == 10


# ---- a request's page ----------------------------------------------------------------------


def test_a_request_shows_the_shortlist_of_supporters_who_can_take_it(
    client, coordinator_a, request_a, supporter_a, other_supporter_a
):
    other_supporter_a.status = SupporterStatus.PAUSED
    other_supporter_a.save()
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:request_detail", args=[request_a.pk]))

    assert response.status_code == 200
    assert [candidate.supporter for candidate in response.context["candidates"]] == [supporter_a]
    content = response.content.decode()
    assert content.count('data-testid="candidate"') == 1
    assert "Match with Sam" in content
    assert "Shares the lived experience: +30" in content
    assert "Ask Sam" in content


def test_opening_a_request_is_audited(client, coordinator_a, request_a):
    client.force_login(coordinator_a)

    client.get(reverse("intake:request_detail", args=[request_a.pk]))

    event = AuditEvent.objects.get(action="intake.request.viewed")
    assert event.actor == coordinator_a
    assert event.target_id == str(request_a.pk)
    assert event.ip_address == "127.0.0.1"


def test_a_matched_request_shows_its_match_instead_of_a_shortlist(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:request_detail", args=[match_a.request.pk]))

    assert "shortlist" not in response.context
    assert reverse("matches:detail", args=[match_a.pk]) in response.content.decode()


def test_a_request_of_another_program_is_not_found_and_not_audited(
    client, coordinator_b, request_a
):
    client.force_login(coordinator_b)

    response = client.get(reverse("intake:request_detail", args=[request_a.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="intake.request.viewed").exists()
