"""Taking a call: who may, the form in the order of a call, and the confirmation."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.models import AuditEvent
from alongside.intake.models import Source, SupportRequest
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.safety.models import Escalation, Urgency

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# Tuesday 13 January 2026, 10:20 in Toronto: the coordinator is on the phone.
DURING_THE_CALL = dt.datetime(2026, 1, 13, 10, 20, tzinfo=TORONTO)
CRISIS_QUESTION = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself right now?",
    "answers": ["No", "Yes", "I'd rather not say"],
    "crisis_answers": ["Yes"],
}


@pytest.fixture(autouse=True)
def during_the_call():
    with time_machine.travel(DURING_THE_CALL, tick=False):
        yield


@pytest.fixture
def screening_program(program_a):
    program_a.crisis_questions = [CRISIS_QUESTION]
    program_a.crisis_message = "Call or text 988, any time. In an emergency, call 911."
    program_a.save()
    return program_a


def form_url(program) -> str:
    return reverse("intake:take_call_for", args=[program.pk])


def call_answers(program, ms, **overrides) -> dict[str, object]:
    """What the coordinator fills in during the call, every rule met."""
    return {
        "crisis_safe_now": "No",
        "first_name": "Maya",
        "phone": "416 555 0142",
        "contact_methods": [ContactMethod.PHONE],
        "language": Language.ENGLISH,
        "experience": str(ms.pk),
        "relationship": Relationship.SELF,
        "call_back_at": "2026-01-14T18:30",
        "best_times": "Evenings after 6",
        "consent": "on",
        "call_started_at": "2026-01-13T10:05",
        "submission_token": str(uuid.uuid4()),
    } | overrides


# ---- who may take a call ---------------------------------------------------------------------


def test_a_coordinator_opens_the_call_form_with_the_screening_first_and_the_crisis_lines(
    client, coordinator_a, screening_program
):
    client.force_login(coordinator_a)

    page = client.get(form_url(screening_program)).content.decode()

    assert "Call or text 988, any time." in page
    assert page.index(CRISIS_QUESTION["question"]) < page.index("Their name")
    assert page.index("Their name") < page.index("What would they like support with?")
    assert page.index("What would they like support with?") < page.index("Call them back at")
    # The call started when the page was opened, on the program's clock.
    assert 'value="2026-01-13T10:20"' in page


def test_a_coordinator_of_another_program_gets_404(client, coordinator_b, program_a):
    client.force_login(coordinator_b)

    assert client.get(form_url(program_a)).status_code == 404


@pytest.mark.parametrize("role", [Role.SUPPORTER, Role.REFERRER, Role.SUPERVISOR])
def test_people_who_are_not_program_staff_are_refused(client, program_a, role):
    client.force_login(user_with_role(role, program_a, email=f"{role}@example.org"))

    assert client.get(form_url(program_a)).status_code == 403
    assert client.get(reverse("intake:take_call")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, program_a):
    response = client.get(form_url(program_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_coordinator_with_one_program_taking_calls_goes_straight_to_its_form(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:take_call"))

    assert response.status_code == 302
    assert response["Location"] == form_url(program_a)


def test_a_coordinator_of_two_programs_picks_one_and_never_a_referral_only_one(
    client, coordinator_a, program_a, ms
):
    second = ProgramFactory(slug="second", name="Second Program", experiences=[ms])
    referral_only = ProgramFactory(
        slug="referrals", name="Referral Program", accepts_phone_requests=False
    )
    for program in (second, referral_only):
        coordinator_a.memberships.create(program=program, role=Role.COORDINATOR)
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:take_call")).content.decode()

    assert "Program A" in page
    assert "Second Program" in page
    assert "Referral Program" not in page


def test_a_program_not_taking_calls_says_so_and_shows_no_form(client, coordinator_a, program_a):
    program_a.accepts_phone_requests = False
    program_a.save()
    client.force_login(coordinator_a)

    page = client.get(form_url(program_a)).content.decode()

    assert "Program A does not take requests by phone." in page
    assert "Save the request" not in page


def test_the_queue_and_the_menu_offer_take_a_call_only_when_a_program_takes_calls(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)
    take_call = reverse("intake:take_call")

    assert client.get(reverse("intake:queue")).content.decode().count(take_call) == 2

    program_a.accepts_phone_requests = False
    program_a.save()
    assert take_call not in client.get(reverse("intake:queue")).content.decode()


# ---- taking the call ---------------------------------------------------------------------------


def test_a_call_is_saved_as_a_phone_request_counted_from_the_call_and_confirmed(
    client, coordinator_a, screening_program, ms
):
    client.force_login(coordinator_a)

    response = client.post(form_url(screening_program), call_answers(screening_program, ms))

    support_request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:call_taken", args=[support_request.pk])
    assert support_request.source == Source.PHONE
    assert support_request.entered_by == coordinator_a
    assert support_request.received_at == dt.datetime(2026, 1, 13, 10, 5, tzinfo=TORONTO)
    assert support_request.call_back_at == dt.datetime(2026, 1, 14, 18, 30, tzinfo=TORONTO)
    assert support_request.received_at.tzinfo == dt.UTC
    assert not Escalation.objects.exists()

    page = client.get(response["Location"]).content.decode()
    assert "Match by Thursday 15 January, 5:00 p.m. (America/Toronto time)." in page
    assert support_request.reference in page
    assert "Call them back on Wednesday 14 January, 6:30 p.m., as they asked." in page
    assert AuditEvent.objects.filter(action="intake.request.submitted").exists()


def test_the_call_times_are_read_on_the_programs_clock(client, coordinator_a, ms):
    network = ProgramFactory(
        slug="network", country="US", subdivision="MA", time_zone="America/New_York"
    )
    network.experiences.add(ms)
    coordinator = user_with_role(Role.COORDINATOR, network, email="dana@example.org")
    client.force_login(coordinator)

    client.post(form_url(network), call_answers(network, ms, crisis_safe_now=""))

    boston = zoneinfo.ZoneInfo("America/New_York")
    assert SupportRequest.objects.get().received_at == dt.datetime(
        2026, 1, 13, 10, 5, tzinfo=boston
    )


def test_a_yes_to_the_screening_raises_an_urgent_escalation_and_tells_the_call_taker_what_to_do(
    client, coordinator_a, screening_program, ms
):
    client.force_login(coordinator_a)

    response = client.post(
        form_url(screening_program),
        call_answers(screening_program, ms, crisis_safe_now="Yes"),
        follow=True,
    )

    escalation = Escalation.objects.get()
    assert escalation.urgency == Urgency.URGENT
    assert escalation.support_request == SupportRequest.objects.get()
    page = response.content.decode()
    assert "They may be in crisis: what to do now" in page
    assert "Stay on the line with them." in page
    assert reverse("safety:escalation_detail", args=[escalation.pk]) in page


def test_saving_the_call_twice_makes_one_request_and_one_escalation(
    client, coordinator_a, screening_program, ms
):
    client.force_login(coordinator_a)
    answers = call_answers(screening_program, ms, crisis_safe_now="Yes")

    first = client.post(form_url(screening_program), answers)
    second = client.post(form_url(screening_program), answers)

    assert first["Location"] == second["Location"]
    assert SupportRequest.objects.count() == 1
    assert Escalation.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"crisis_safe_now": ""}, "crisis_safe_now", "Ask this first, and choose their answer."),
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"phone": "", "email": ""}, "email", "Please give an e-mail address or a phone number."),
        ({"call_started_at": "2026-01-13T11:00"}, "call_started_at", "cannot start in the future"),
        ({"call_started_at": "2026-01-01T09:00"}, "call_started_at", "in the last 7 days"),
        ({"call_started_at": "yesterday"}, "call_started_at", "Enter a valid date/time."),
        ({"call_back_at": "2026-01-13T09:00"}, "call_back_at", "after the call started"),
        ({"call_back_at": "9999-12-31T23:59"}, "call_back_at", "no later than"),
        ({"consent": ""}, "consent", "Read them the consent"),
        ({"experience": "999999"}, "experience", "Select a valid choice."),
    ],
)
def test_bad_answers_come_back_with_a_message_on_the_field_and_save_nothing(
    client, coordinator_a, screening_program, ms, overrides, field, message
):
    client.force_login(coordinator_a)

    response = client.post(
        form_url(screening_program), call_answers(screening_program, ms, **overrides)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert message in " ".join(errors[field])
    assert not SupportRequest.objects.exists()


def test_the_confirmation_is_only_for_a_request_taken_by_phone(client, coordinator_a, request_a):
    client.force_login(coordinator_a)

    assert request_a.source != Source.PHONE
    assert client.get(reverse("intake:call_taken", args=[request_a.pk])).status_code == 404


def test_another_programs_coordinator_cannot_open_the_confirmation(
    client, coordinator_a, coordinator_b, screening_program, ms
):
    client.force_login(coordinator_a)
    client.post(form_url(screening_program), call_answers(screening_program, ms))
    client.force_login(coordinator_b)

    page = reverse("intake:call_taken", args=[SupportRequest.objects.get().pk])
    assert client.get(page).status_code == 404
