"""Removing a shift asks first; acknowledging and resolving say who is told, beside the button."""

from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.safety.factories import OnCallShiftFactory
from alongside.safety.models import OnCallShift, Urgency
from alongside.safety.services.escalations import raise_escalation


def test_remove_opens_a_page_saying_whose_shift_goes_and_that_nobody_is_told(
    client, program_a, coordinator_a
):
    shift = OnCallShiftFactory(program=program_a, user=coordinator_a)
    client.force_login(coordinator_a)
    remove = reverse("safety:remove_shift", args=[shift.pk])
    assert f'href="{remove}"' in client.get(reverse("safety:rota")).text

    page = client.get(remove).text

    name = coordinator_a.display_name
    assert f"Remove the shift of {name}?" in page
    assert f"{name} is no longer on call" in page
    assert f"Nobody is sent a message, not even {name}: tell them yourself." in page
    assert f'href="{reverse("safety:rota")}"' in page
    assert OnCallShift.objects.filter(pk=shift.pk).exists()


def test_removing_a_shift_twice_removes_it_once(client, program_a, coordinator_a):
    shift = OnCallShiftFactory(program=program_a, user=coordinator_a)
    client.force_login(coordinator_a)
    remove = reverse("safety:remove_shift", args=[shift.pk])

    assert client.post(remove).status_code == 302
    assert client.post(remove).status_code == 404

    assert not OnCallShift.objects.exists()
    assert AuditEvent.objects.filter(action="safety.shift.removed").count() == 1


def test_the_remove_page_is_for_the_programs_staff_only(
    client, program_a, coordinator_b, supporter_a
):
    shift = OnCallShiftFactory(program=program_a)
    client.force_login(coordinator_b)
    assert client.get(reverse("safety:remove_shift", args=[shift.pk])).status_code == 404
    client.force_login(supporter_a.user)
    assert client.get(reverse("safety:remove_shift", args=[shift.pk])).status_code == 403


def test_the_escalation_says_beside_each_button_who_is_told_and_that_resolving_is_final(
    client, coordinator_a, match_a
):
    escalation = raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.URGENT,
        what_happened="They said they feel unsafe.",
        match=match_a,
    )
    client.force_login(coordinator_a)

    page = client.get(reverse("safety:escalation_detail", args=[escalation.pk])).text

    name = match_a.supporter.user.display_name
    assert f"{name}, who raised it, is told at once that you have it." in page
    assert (
        f"Resolving closes the escalation: it cannot be undone, and {name}, who raised it, "
        "is told it is resolved."
    ) in page
