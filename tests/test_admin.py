"""The admin is a window, not a side door: each admin class only shows, or saves through the
services and the audit (alongside/core/admin.py)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from alongside.accounts.factories import UserFactory, give_authenticator_app
from alongside.accounts.models import Membership, Role, User
from alongside.core.admin import AuditedAdmin, ReadOnlyAdmin
from alongside.core.models import AuditEvent
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Experience, ExperienceCategory, PipelineStep, StepKind

pytestmark = pytest.mark.django_db

# Admin classes that save through their app's services in save_model / save_formset.
THROUGH_SERVICES = {"UserAdmin"}
# Read-only classes with their own permissions (the outbox retries through its service).
READ_ONLY_OF_THEIR_OWN = {"OutboxMessageAdmin"}


@pytest.fixture
def administrator() -> User:
    superuser = User.objects.create_superuser(
        email="admin@example.org", password="a long password 1"
    )
    give_authenticator_app(superuser)  # staff sign in with two steps
    return superuser


def test_every_admin_class_only_shows_or_saves_through_the_audit():
    ours = [a for a in admin.site._registry.values() if type(a).__module__.startswith("alongside")]

    unguarded = [
        type(model_admin).__name__
        for model_admin in ours
        if not isinstance(model_admin, ReadOnlyAdmin | AuditedAdmin)
        and type(model_admin).__name__ not in THROUGH_SERVICES | READ_ONLY_OF_THEIR_OWN
    ]

    assert len(ours) == 17
    assert unguarded == []


def test_read_only_admin_classes_refuse_adding_changing_and_deleting(administrator):
    request = RequestFactory().get("/admin/")
    request.user = administrator
    read_only = [a for a in admin.site._registry.values() if isinstance(a, ReadOnlyAdmin)]

    assert read_only
    for model_admin in read_only:
        assert not model_admin.has_add_permission(request)
        assert not model_admin.has_change_permission(request)
        assert not model_admin.has_delete_permission(request)


def test_changing_a_pipeline_steps_kind_in_the_admin_is_refused(client, administrator):
    program = ProgramFactory()
    step = PipelineStep.objects.create(
        program=program, name="Interview", kind=StepKind.INTERVIEW, order=1
    )
    client.force_login(administrator)
    url = reverse("admin:programs_pipelinestep_change", args=[step.pk])

    response = client.post(
        url,
        {
            "program": program.pk,
            "name": "Interview",
            "kind": StepKind.BACKGROUND_CHECK,
            "order": 1,
            "is_required": "on",
        },
    )

    assert response.status_code == 403
    step.refresh_from_db()
    assert step.kind == StepKind.INTERVIEW
    assert client.get(url).status_code == 200  # still shown, read-only


def _user_change_form(person: User, memberships: list[dict[str, object]]) -> dict[str, object]:
    data: dict[str, object] = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "preferred_name": person.preferred_name,
        "language": person.language,
        "time_zone": person.time_zone,
        "is_active": "on",
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": sum(1 for m in memberships if "id" in m),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
    }
    for index, membership in enumerate(memberships):
        for field, value in membership.items():
            data[f"memberships-{index}-{field}"] = value
        data[f"memberships-{index}-user"] = person.pk
    return data


def test_granting_a_staff_role_in_the_admin_writes_an_audit_event(client, administrator):
    program = ProgramFactory()
    person = UserFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        _user_change_form(
            person, [{"program": program.pk, "role": Role.COORDINATOR, "is_active": "on"}]
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user=person, program=program, role=Role.COORDINATOR)
    event = AuditEvent.objects.get(action="accounts.role.granted")
    assert event.actor == administrator
    assert event.target_id == str(membership.pk)


def test_removing_a_role_in_the_admin_writes_an_audit_event(client, administrator):
    program = ProgramFactory()
    person = UserFactory()
    membership = Membership.objects.create(user=person, program=program, role=Role.COORDINATOR)
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        _user_change_form(
            person,
            [{"id": membership.pk, "program": program.pk, "role": Role.COORDINATOR}],
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    membership.refresh_from_db()
    assert not membership.is_active
    assert AuditEvent.objects.filter(
        action="accounts.role.removed", target_id=str(membership.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="accounts.user.changed").exists()


def test_making_an_account_django_staff_in_the_admin_records_the_access_change(
    client, administrator
):
    person = UserFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        {**_user_change_form(person, []), "is_staff": "on"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.user.changed", target_id=str(person.pk))
    assert event.actor == administrator
    assert event.data["fields"] == ["is_staff"]
    assert event.data["access"] == {"is_staff": True}


def test_setting_a_password_in_the_admin_is_audited_without_the_password(client, administrator):
    person = UserFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_password_change", args=[person.pk]),
        {
            "password1": "a new long passphrase 7",
            "password2": "a new long passphrase 7",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.password.set_by_administrator")
    assert (event.actor, event.target_id) == (administrator, str(person.pk))
    assert event.data == {"usable": True}
    assert "passphrase" not in str(event.data)


def test_granting_the_privacy_lead_role_in_the_admin_writes_an_audit_event(client, administrator):
    program = ProgramFactory()
    person = UserFactory()
    client.force_login(administrator)

    response = client.post(
        reverse("admin:accounts_user_change", args=[person.pk]),
        _user_change_form(
            person, [{"program": program.pk, "role": Role.PRIVACY_LEAD, "is_active": "on"}]
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="accounts.role.granted")
    assert event.data == {"user": person.pk, "role": Role.PRIVACY_LEAD}
    assert event.program_id == program.pk


def test_adding_an_experience_in_the_admin_is_audited(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:programs_experience_add"),
        {
            "name": "Grief and loss",
            "slug": "grief-and-loss",
            "category": ExperienceCategory.MENTAL_HEALTH,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    experience = Experience.objects.get(slug="grief-and-loss")
    event = AuditEvent.objects.get(action="programs.experience.created")
    assert event.actor == administrator
    assert event.target_id == str(experience.pk)
