"""Coordinators configure their program's pipeline steps and trainings: the rules and the pages."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.programs import services
from alongside.programs.models import CompetencyArea, PipelineStep, StepKind, TrainingModule
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.forms.pipeline import TrainingForm
from alongside.supporters.models import StepOutcome, StepRecord, TrainingRecord
from alongside.supporters.queries import readiness


def add_step(program, by, name, kind=StepKind.INTERVIEW, is_required=True):
    return services.add_pipeline_step(
        program=program, by=by, name=name, kind=kind, is_required=is_required
    )


def add_module(program, by, name="Boundaries", areas=None, months=24, is_required=True):
    return services.add_training_module(
        program=program,
        by=by,
        name=name,
        competency_areas=areas or [CompetencyArea.BOUNDARIES],
        validity_months=months,
        is_required=is_required,
    )


def names(program):
    return list(program.pipeline_steps.order_by("order").values_list("name", flat=True))


# ---- steps: the rules -----------------------------------------------------------------------


def test_a_step_is_added_at_the_end_and_audited(program_a, coordinator_a):
    add_step(program_a, coordinator_a, "Screening call", StepKind.SCREENING_CALL)
    step = add_step(program_a, coordinator_a, "Interview")

    assert names(program_a) == ["Screening call", "Interview"]
    assert step.order == 2
    event = AuditEvent.objects.get(action="programs.pipeline_step.added", target_id=str(step.pk))
    assert event.program_id == program_a.pk


def test_two_steps_cannot_share_a_name(program_a, coordinator_a):
    add_step(program_a, coordinator_a, "Interview")

    with pytest.raises(DomainError, match="already has a step called “interview”"):
        add_step(program_a, coordinator_a, "  interview ")


def test_a_blank_name_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="Give it a name"):
        add_step(program_a, coordinator_a, "   ")


def test_a_program_has_one_background_check_step_at_most(program_a, coordinator_a):
    add_step(program_a, coordinator_a, "Police check", StepKind.BACKGROUND_CHECK)

    with pytest.raises(DomainError, match="already has a background check step"):
        add_step(program_a, coordinator_a, "Second check", StepKind.BACKGROUND_CHECK)


def test_an_unknown_kind_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="not a valid choice"):
        add_step(program_a, coordinator_a, "Dance", "dance")


def test_steps_move_up_and_down(program_a, coordinator_a):
    first = add_step(program_a, coordinator_a, "One", StepKind.SCREENING_CALL)
    add_step(program_a, coordinator_a, "Two")
    third = add_step(program_a, coordinator_a, "Three", StepKind.REFERENCES)

    services.move_pipeline_step(step=third, by=coordinator_a, direction="up")
    services.move_pipeline_step(step=first, by=coordinator_a, direction="down")

    assert names(program_a) == ["Three", "One", "Two"]
    assert AuditEvent.objects.filter(action="programs.pipeline_step.moved").count() == 2


def test_the_first_step_cannot_move_up(program_a, coordinator_a):
    first = add_step(program_a, coordinator_a, "One")

    with pytest.raises(DomainError, match="already the first step"):
        services.move_pipeline_step(step=first, by=coordinator_a, direction="up")
    with pytest.raises(DomainError, match="already the last step"):
        services.move_pipeline_step(step=first, by=coordinator_a, direction="down")


def test_a_step_is_renamed_and_made_optional(program_a, coordinator_a):
    step = add_step(program_a, coordinator_a, "Interview")

    services.change_pipeline_step(
        step=step, by=coordinator_a, name="Conversation", kind=StepKind.INTERVIEW, is_required=False
    )

    step.refresh_from_db()
    assert (step.name, step.is_required) == ("Conversation", False)
    event = AuditEvent.objects.get(action="programs.pipeline_step.changed")
    assert event.data == {"fields": ["is_required", "name"]}


def test_the_kind_of_a_step_with_records_cannot_change(program_a, coordinator_a, supporter_a):
    step = add_step(program_a, coordinator_a, "Interview")
    StepRecord.objects.create(
        supporter=supporter_a, step=step, outcome=StepOutcome.PASSED, recorded_at=timezone.now()
    )

    with pytest.raises(DomainError, match="its kind cannot change"):
        services.change_pipeline_step(
            step=step,
            by=coordinator_a,
            name="Interview",
            kind=StepKind.REFERENCES,
            is_required=True,
        )


def test_retiring_a_step_nobody_has_done_removes_it(program_a, coordinator_a):
    step = add_step(program_a, coordinator_a, "Interview")

    outcome = services.retire_pipeline_step(step=step, by=coordinator_a)

    assert outcome == "“Interview” is removed."
    assert not PipelineStep.objects.exists()
    assert AuditEvent.objects.filter(action="programs.pipeline_step.removed").exists()


def test_retiring_a_step_with_records_keeps_the_records_and_takes_it_off_the_board(
    client, program_a, coordinator_a, supporter_a
):
    step = add_step(program_a, coordinator_a, "Interview")
    StepRecord.objects.create(
        supporter=supporter_a, step=step, outcome=StepOutcome.PASSED, recorded_at=timezone.now()
    )

    outcome = services.retire_pipeline_step(step=step, by=coordinator_a)

    step.refresh_from_db()
    assert outcome == "“Interview” is retired. Supporters' records of it are kept."
    assert step.retired_at is not None
    assert step.records.count() == 1
    assert [state.step for state in readiness(supporter_a, timezone.localdate()).steps] == []
    with pytest.raises(DomainError, match="already retired"):
        services.retire_pipeline_step(step=step, by=coordinator_a)
    client.force_login(coordinator_a)
    page = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()
    assert re.search(r"Retired, kept for supporters' records:\s+Interview\s", page)


def test_a_retired_step_no_longer_holds_a_new_supporter_back(program_a, coordinator_a):
    interview = add_step(program_a, coordinator_a, "Interview")
    someone = SupporterFactory(program=program_a)
    StepRecord.objects.create(
        supporter=someone, step=interview, outcome=StepOutcome.PASSED, recorded_at=timezone.now()
    )
    newcomer = SupporterFactory(program=program_a)
    assert not readiness(newcomer, timezone.localdate()).is_ready

    services.retire_pipeline_step(step=interview, by=coordinator_a)

    assert readiness(newcomer, timezone.localdate()).is_ready


# ---- trainings: the rules -----------------------------------------------------------------


def test_a_training_is_added_with_what_it_covers(program_a, coordinator_a):
    module = add_module(
        program_a, coordinator_a, areas=[CompetencyArea.BOUNDARIES, CompetencyArea.CONFIDENTIALITY]
    )

    assert module.competency_areas == ["boundaries", "confidentiality"]
    assert module.validity_months == 24
    assert AuditEvent.objects.filter(action="programs.training_module.added").exists()


def test_two_trainings_cannot_share_a_name(program_a, coordinator_a):
    add_module(program_a, coordinator_a, name="Boundaries")

    with pytest.raises(DomainError, match="already has a training called"):
        add_module(program_a, coordinator_a, name="BOUNDARIES")


def test_another_program_may_use_the_same_training_name(program_a, program_b, coordinator_a):
    add_module(program_a, coordinator_a, name="Boundaries")

    add_module(program_b, coordinator_a, name="Boundaries")

    assert TrainingModule.objects.count() == 2


def test_a_training_must_cover_something(program_a, coordinator_a):
    with pytest.raises(DomainError, match="at least one competency area"):
        services.add_training_module(
            program=program_a,
            by=coordinator_a,
            name="Empty",
            competency_areas=[],
            validity_months=None,
            is_required=True,
        )


def test_a_validity_over_ten_years_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="120"):
        add_module(program_a, coordinator_a, months=121)


def test_a_training_is_changed_and_audited(program_a, coordinator_a):
    module = add_module(program_a, coordinator_a)

    services.change_training_module(
        module=module,
        by=coordinator_a,
        name="Boundaries",
        competency_areas=[CompetencyArea.BOUNDARIES],
        validity_months=None,
        is_required=False,
    )

    module.refresh_from_db()
    assert (module.validity_months, module.is_required) == (None, False)
    event = AuditEvent.objects.get(action="programs.training_module.changed")
    assert event.data == {"fields": ["is_required", "validity_months"]}


def test_retiring_a_training_nobody_took_removes_it(program_a, coordinator_a):
    module = add_module(program_a, coordinator_a)

    services.retire_training_module(module=module, by=coordinator_a)

    assert not TrainingModule.objects.exists()


def test_retiring_a_training_with_records_keeps_them(program_a, coordinator_a, supporter_a):
    module = add_module(program_a, coordinator_a)
    TrainingRecord.objects.create(
        supporter=supporter_a,
        module=module,
        completed_on=timezone.localdate(),
        recorded_at=timezone.now(),
    )

    outcome = services.retire_training_module(module=module, by=coordinator_a)

    module.refresh_from_db()
    assert "is retired" in outcome
    assert module.retired_at is not None
    assert module.records.count() == 1
    assert module not in TrainingForm(program=program_a).fields["module"].queryset


# ---- the pages -----------------------------------------------------------------------------


def test_the_settings_page_lists_steps_and_trainings(client, program_a, coordinator_a):
    add_step(program_a, coordinator_a, "Screening call", StepKind.SCREENING_CALL)
    add_module(program_a, coordinator_a, name="Crisis response", areas=["crisis_response"])
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()

    assert "Screening call" in page
    assert "Crisis response" in page
    assert "24 months" in page


def test_the_settings_page_needs_a_fixed_number_of_queries(
    client, program_a, coordinator_a, django_assert_max_num_queries
):
    for number, kind in enumerate(StepKind.values):
        add_step(program_a, coordinator_a, f"Step {number}", kind)
        add_module(program_a, coordinator_a, name=f"Training {number}")
    client.force_login(coordinator_a)

    # Ten for the page; the menu's two: whether they take calls, and the inbox count.
    with django_assert_max_num_queries(12):
        client.get(reverse("programs:settings", args=[program_a.pk]))


def test_a_coordinator_adds_a_step_from_the_page(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:add_step", args=[program_a.pk]),
        {"name": "Reference calls", "kind": StepKind.REFERENCES, "is_required": "on"},
    )

    assert response.status_code == 302
    assert names(program_a) == ["Reference calls"]


def test_an_empty_step_form_is_explained(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("programs:add_step", args=[program_a.pk]), {})

    assert response.status_code == 200
    assert "Please check these answers" in response.content.decode()


def test_a_duplicate_step_name_is_explained_on_the_page(client, program_a, coordinator_a):
    add_step(program_a, coordinator_a, "Interview")
    client.force_login(coordinator_a)

    response = client.post(
        reverse("programs:add_step", args=[program_a.pk]),
        {"name": "Interview", "kind": StepKind.INTERVIEW},
    )

    assert response.status_code == 200
    assert "already has a step called" in response.content.decode()


def test_a_coordinator_moves_and_retires_steps_from_the_page(client, program_a, coordinator_a):
    add_step(program_a, coordinator_a, "One", StepKind.SCREENING_CALL)
    second = add_step(program_a, coordinator_a, "Two")
    client.force_login(coordinator_a)

    client.post(reverse("programs:move_step", args=[second.pk]), {"direction": "up"})
    bad = client.post(reverse("programs:move_step", args=[second.pk]), {"direction": "sideways"})
    client.post(reverse("programs:retire_step", args=[second.pk]))

    assert bad.status_code == 302
    assert names(program_a) == ["One"]


def test_a_coordinator_adds_a_training_and_a_missing_area_is_explained(
    client, program_a, coordinator_a
):
    client.force_login(coordinator_a)
    page = reverse("programs:add_module", args=[program_a.pk])

    missing = client.post(page, {"name": "Listening", "validity_months": "12"})
    response = client.post(
        page,
        {"name": "Listening", "competency_areas": ["communication"], "validity_months": "12"},
    )

    assert "Choose at least one competency area." in missing.content.decode()
    assert response.status_code == 302
    module = TrainingModule.objects.get()
    assert (module.name, module.is_required) == ("Listening", False)


def test_a_coordinator_edits_a_training(client, program_a, coordinator_a):
    module = add_module(program_a, coordinator_a)
    client.force_login(coordinator_a)
    page = reverse("programs:edit_module", args=[module.pk])

    assert client.get(page).status_code == 200
    client.post(
        page,
        {"name": "Boundaries 2", "competency_areas": ["boundaries"], "is_required": "on"},
    )

    module.refresh_from_db()
    assert (module.name, module.validity_months) == ("Boundaries 2", None)


def test_another_programs_coordinator_gets_404(client, program_a, coordinator_a, coordinator_b):
    step = add_step(program_a, coordinator_a, "Interview")
    client.force_login(coordinator_b)

    assert client.get(reverse("programs:settings", args=[program_a.pk])).status_code == 404
    assert client.post(reverse("programs:retire_step", args=[step.pk])).status_code == 404
    assert PipelineStep.objects.exists()


def test_a_supporter_cannot_open_the_settings(client, program_a, supporter_a):
    client.force_login(supporter_a.user)

    assert client.get(reverse("programs:settings", args=[program_a.pk])).status_code == 403
