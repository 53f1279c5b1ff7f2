"""Retiring a step or a training cannot be undone: it asks first, saying what becomes of it."""

from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.programs.models import PipelineStep, TrainingModule
from alongside.programs.tests.test_pipeline_settings import add_module, add_step
from alongside.supporters.models import StepOutcome, StepRecord


def test_retire_opens_a_page_saying_the_records_are_kept_and_retires_nothing(
    client, program_a, coordinator_a, supporter_a
):
    step = add_step(program_a, coordinator_a, "Interview")
    StepRecord.objects.create(
        supporter=supporter_a, step=step, outcome=StepOutcome.PASSED, recorded_at=timezone.now()
    )
    client.force_login(coordinator_a)
    retire = reverse("programs:retire_step", args=[step.pk])
    settings_page = reverse("programs:settings", args=[program_a.pk])
    assert f'href="{retire}"' in client.get(settings_page).text

    page = client.get(retire).text

    assert "Retire “Interview”?" in page
    assert "1 record of “Interview” is kept, with its meaning." in page
    assert "It cannot be brought back." in page
    assert "Nobody is sent a message." in page
    assert f'href="{settings_page}"' in page
    step.refresh_from_db()
    assert step.retired_at is None


def test_retiring_a_step_twice_retires_it_once(client, program_a, coordinator_a, supporter_a):
    step = add_step(program_a, coordinator_a, "Interview")
    StepRecord.objects.create(
        supporter=supporter_a, step=step, outcome=StepOutcome.PASSED, recorded_at=timezone.now()
    )
    client.force_login(coordinator_a)
    retire = reverse("programs:retire_step", args=[step.pk])

    client.post(retire)
    second = client.post(retire, follow=True)

    assert "“Interview” is already retired." in second.text
    assert AuditEvent.objects.filter(action="programs.pipeline_step.retired").count() == 1


def test_retiring_a_training_nobody_took_says_it_is_removed_for_good_then_removes_it_once(
    client, program_a, coordinator_a
):
    module = add_module(program_a, coordinator_a, name="Boundaries")
    client.force_login(coordinator_a)
    retire = reverse("programs:retire_module", args=[module.pk])

    page = client.get(retire).text
    assert "Nobody has a record of “Boundaries”: it is removed for good." in page
    assert TrainingModule.objects.exists()

    client.post(retire)
    assert not TrainingModule.objects.exists()
    assert client.post(retire).status_code == 404
    assert AuditEvent.objects.filter(action="programs.training_module.removed").count() == 1


def test_the_retire_page_is_for_the_programs_staff_only(
    client, program_a, coordinator_a, coordinator_b, supporter_a
):
    step = add_step(program_a, coordinator_a, "Interview")
    client.force_login(coordinator_b)
    assert client.get(reverse("programs:retire_step", args=[step.pk])).status_code == 404
    client.force_login(supporter_a.user)
    assert client.get(reverse("programs:retire_step", args=[step.pk])).status_code == 403
    assert PipelineStep.objects.filter(pk=step.pk).exists()
