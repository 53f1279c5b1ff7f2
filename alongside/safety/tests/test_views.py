import datetime as dt
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.intake.models import SupportRequest
from alongside.matches.models import Match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.programs.models import ContactMethod, Language, Program, Relationship
from alongside.safety.factories import OnCallShiftFactory
from alongside.safety.models import (
    Escalation,
    EscalationStatus,
    OnCallShift,
    SafetyContact,
    ShiftOrder,
    Urgency,
)
from alongside.safety.services.escalations import raise_escalation

CRISIS_QUESTION = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself right now?",
    "answers": ["No", "Yes", "I'd rather not say"],
    "crisis_answers": ["Yes"],
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def public_answers(program: Program, **overrides: object) -> dict[str, object]:
    return {
        "first_name": "Jordan",
        "email": "jordan.lee@example.net",
        "phone": "416 555 0199",
        "contact_methods": [ContactMethod.EMAIL],
        "language": Language.ENGLISH,
        "experience": str(program.experiences.get().pk),
        "relationship": Relationship.SELF,
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    } | overrides


# ---- raising from a match ---------------------------------------------------------------------


def test_a_supporter_raises_an_urgent_escalation_and_sees_who_was_alerted(
    client, match_a: Match, on_call_a: User
) -> None:
    client.force_login(match_a.supporter.user)
    page = reverse("safety:raise_for_match", args=[match_a.pk])

    response = client.post(
        page, {"urgency": Urgency.URGENT, "what_happened": "They said they feel unsafe."}
    )

    escalation = Escalation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:escalation_detail", args=[escalation.pk])
    assert escalation.match == match_a
    assert escalation.raised_by == match_a.supporter.user
    status_page = client.get(response["Location"]).content.decode()
    assert "Received." in status_page
    assert on_call_a.display_name in status_page
    assert "I have it" not in status_page  # the supporter cannot acknowledge


def test_the_escalation_form_gives_the_crisis_lines_in_the_supporters_language(
    client, match_a: Match
) -> None:
    match_a.program.translations = {"fr": {"crisis_message": "Appelez le 9-8-8."}}
    match_a.program.save()
    supporter = match_a.supporter.user
    client.force_login(supporter)
    page = reverse("safety:raise_for_match", args=[match_a.pk])

    english = client.get(page).content.decode()
    supporter.language = "fr-ca"
    supporter.save()
    french = client.get(page).content.decode()
    translation.deactivate()

    assert 'data-testid="crisis-lines"' in english
    assert match_a.program.crisis_message in english
    assert "Appelez le 9-8-8." in french


def test_the_escalation_form_explains_a_missing_answer(client, match_a: Match) -> None:
    client.force_login(match_a.supporter.user)

    response = client.post(
        reverse("safety:raise_for_match", args=[match_a.pk]), {"urgency": Urgency.URGENT}
    )

    assert response.status_code == 200
    assert "Please check these answers" in response.content.decode()
    assert not Escalation.objects.exists()


# ---- the coordinator's pages --------------------------------------------------------------


@pytest.fixture
def escalation(match_a: Match, on_call_a: User) -> Escalation:
    return raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.URGENT,
        what_happened="They said they feel unsafe.",
        match=match_a,
    )


def test_the_coordinator_sees_open_escalations_and_acknowledges_one(
    client, escalation: Escalation, on_call_a: User
) -> None:
    client.force_login(on_call_a)

    listing = client.get(reverse("safety:escalation_list")).content.decode()
    assert f"#{escalation.pk}" in listing
    detail = client.get(reverse("safety:escalation_detail", args=[escalation.pk]))
    assert "They said they feel unsafe." in detail.content.decode()
    assert AuditEvent.objects.filter(action="safety.escalation.viewed").exists()

    client.post(reverse("safety:acknowledge", args=[escalation.pk]))

    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    assert escalation.acknowledged_by == on_call_a


def test_the_coordinator_adds_a_note_and_resolves_with_an_outcome(
    client, escalation: Escalation, on_call_a: User
) -> None:
    client.force_login(on_call_a)

    client.post(reverse("safety:add_note", args=[escalation.pk]), {"note": "Called them."})
    client.post(reverse("safety:resolve", args=[escalation.pk]), {"outcome": "Safe now."})

    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RESOLVED
    page = client.get(reverse("safety:escalation_detail", args=[escalation.pk])).content.decode()
    assert "Called them." in page
    assert "Safe now." in page


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("", "Write the note first."),
        ("x" * 4001, "Please keep it to 4000 characters or fewer (it has 4001)."),
    ],
    ids=["empty", "too-long"],
)
def test_a_note_that_cannot_be_kept_says_why(
    client, escalation: Escalation, on_call_a: User, note: str, message: str
) -> None:
    client.force_login(on_call_a)
    events = escalation.events.count()

    response = client.post(
        reverse("safety:add_note", args=[escalation.pk]), {"note": note}, follow=True
    )

    page = response.content.decode()
    assert message in page
    assert note == "" or "Write the note first." not in page
    assert escalation.events.count() == events


def test_resolving_without_an_outcome_says_so_and_changes_nothing(
    client, escalation: Escalation, on_call_a: User
) -> None:
    client.force_login(on_call_a)

    response = client.post(
        reverse("safety:resolve", args=[escalation.pk]), {"outcome": ""}, follow=True
    )

    assert "Say how it was resolved." in response.content.decode()
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RAISED


# ---- the rota ---------------------------------------------------------------------------------


def test_a_coordinator_adds_a_shift_in_their_own_time_zone(
    client, program_a: Program, coordinator_a: User
) -> None:
    coordinator_a.time_zone = "America/Vancouver"
    coordinator_a.save()
    client.force_login(coordinator_a)

    response = client.post(
        reverse("safety:rota"),
        {
            "program": program_a.pk,
            "user": coordinator_a.pk,
            "order": ShiftOrder.PRIMARY,
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T17:00",
        },
    )

    assert response.status_code == 302
    shift = OnCallShift.objects.get()
    assert shift.starts_at == dt.datetime(2030, 3, 1, 17, 0, tzinfo=dt.UTC)  # 09:00 Pacific
    assert AuditEvent.objects.filter(action="safety.shift.added").exists()


def test_a_shift_that_ends_before_it_starts_is_refused(
    client, program_a: Program, coordinator_a: User
) -> None:
    client.force_login(coordinator_a)

    response = client.post(
        reverse("safety:rota"),
        {
            "program": program_a.pk,
            "user": coordinator_a.pk,
            "order": ShiftOrder.PRIMARY,
            "starts_at": "2030-03-01T17:00",
            "ends_at": "2030-03-01T09:00",
        },
    )

    assert response.status_code == 200
    assert "A shift must end after it starts." in response.content.decode()
    assert not OnCallShift.objects.exists()


def test_someone_from_another_program_cannot_be_put_on_call(
    client, program_a: Program, coordinator_a: User, coordinator_b: User
) -> None:
    client.force_login(coordinator_a)

    response = client.post(
        reverse("safety:rota"),
        {
            "program": program_a.pk,
            "user": coordinator_b.pk,
            "order": ShiftOrder.PRIMARY,
            "starts_at": "2030-03-01T09:00",
            "ends_at": "2030-03-01T17:00",
        },
    )

    assert response.status_code == 200
    assert not OnCallShift.objects.exists()


def test_the_request_queue_warns_when_nobody_is_on_call_in_the_coming_week(
    client, program_a: Program, coordinator_a: User
) -> None:
    client.force_login(coordinator_a)
    now = timezone.now()
    OnCallShiftFactory(
        program=program_a,
        user=coordinator_a,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=3),
    )

    page = client.get(reverse("intake:queue")).content.decode()

    assert 'data-testid="on-call-gaps"' in page
    OnCallShiftFactory(
        program=program_a,
        user=coordinator_a,
        starts_at=now + dt.timedelta(days=3),
        ends_at=now + dt.timedelta(days=8),
    )
    assert 'data-testid="on-call-gaps"' not in client.get(reverse("intake:queue")).content.decode()


def test_a_coordinator_sets_a_mobile_phone_for_urgent_texts(client, coordinator_a: User) -> None:
    client.force_login(coordinator_a)

    client.post(reverse("safety:urgent_contact"), {"mobile_phone": "416 555 0100"})

    assert SafetyContact.objects.get(user=coordinator_a).mobile_phone == "+14165550100"


# ---- crisis screening at intake ---------------------------------------------------------------


@pytest.fixture
def screening_program(program_a: Program, on_call_a: User) -> Program:
    program_a.crisis_questions = [CRISIS_QUESTION]
    program_a.save()
    return program_a


def test_the_public_form_asks_the_programs_crisis_questions(
    client, screening_program: Program
) -> None:
    page = client.get(reverse("intake:request_support", args=[screening_program.slug]))

    assert CRISIS_QUESTION["question"] in page.content.decode()


def test_a_crisis_answer_shows_the_crisis_lines_and_raises_an_urgent_escalation(
    client, screening_program: Program, on_call_a: User
) -> None:
    response = client.post(
        reverse("intake:request_support", args=[screening_program.slug]),
        public_answers(screening_program, crisis_safe_now="Yes"),
        follow=True,
    )

    page = response.content.decode()
    assert 'data-testid="crisis-lines"' in page
    assert "9-8-8" in page
    escalation = Escalation.objects.get()
    assert escalation.urgency == Urgency.URGENT
    assert escalation.support_request == SupportRequest.objects.get()
    assert "Yes" in escalation.what_happened
    assert OutboxMessage.objects.filter(recipient=on_call_a, channel=Channel.SMS).exists()


def test_sending_the_crisis_form_twice_raises_one_escalation(
    client, screening_program: Program
) -> None:
    answers = public_answers(screening_program, crisis_safe_now="Yes")
    page = reverse("intake:request_support", args=[screening_program.slug])

    client.post(page, answers)
    client.post(page, answers)

    assert Escalation.objects.count() == 1


def test_an_answer_that_signals_no_crisis_raises_nothing(
    client, screening_program: Program
) -> None:
    response = client.post(
        reverse("intake:request_support", args=[screening_program.slug]),
        public_answers(screening_program, crisis_safe_now="No"),
        follow=True,
    )

    assert 'data-testid="crisis-lines"' not in response.content.decode()
    assert SupportRequest.objects.count() == 1
    assert not Escalation.objects.exists()
