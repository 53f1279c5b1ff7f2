from django.shortcuts import get_object_or_404

from alongside.accounts.models import SITE_SCOPED_ROLES, STAFF_ROLES, Membership, Role, User
from alongside.programs.models import PipelineStep, Program, Site, TrainingModule
from alongside.programs.queries import program_ids_for, programs_staffed_by


def get_program_for(user: User, program_id: int) -> Program:
    """A program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(programs_staffed_by(user), pk=program_id)


def get_pipeline_step_for(user: User, step_id: int) -> PipelineStep:
    """A pipeline step of a program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(
        PipelineStep.objects.filter(
            program_id__in=program_ids_for(user, STAFF_ROLES)
        ).select_related("program"),
        pk=step_id,
    )


def get_training_module_for(user: User, module_id: int) -> TrainingModule:
    """A training module of a program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(
        TrainingModule.objects.filter(
            program_id__in=program_ids_for(user, STAFF_ROLES)
        ).select_related("program"),
        pk=module_id,
    )


def get_program_administered_by(user: User, program_id: int) -> Program:
    """A program the user administers (404 otherwise): where they may appoint coordinators."""
    return get_object_or_404(
        Program.objects.filter(pk__in=program_ids_for(user, [Role.ADMINISTRATOR])), pk=program_id
    )


def get_team_role_administered_by(user: User, membership_id: int) -> Membership:
    """An active role that can be tied to sites (a coordinator's, a supervisor's, an
    administrator's) on the team of a program the user administers (404 otherwise)."""
    return get_object_or_404(
        Membership.objects.filter(
            program_id__in=program_ids_for(user, [Role.ADMINISTRATOR]),
            role__in=list(SITE_SCOPED_ROLES),
            is_active=True,
        ).select_related("user", "program"),
        pk=membership_id,
    )


def get_site_for(user: User, site_id: int) -> Site:
    """A site of a program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(
        Site.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES)).select_related(
            "program"
        ),
        pk=site_id,
    )
