import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.core.updates import update_and_audit

pytestmark = pytest.mark.django_db


def test_nothing_is_saved_or_recorded_when_no_value_differs(program_a, coordinator_a):
    with CaptureQueriesContext(connection) as queries:
        update = update_and_audit(
            instance=program_a,
            changes={"name": program_a.name, "is_active": True},
            actor=coordinator_a,
            action="programs.program.changed",
        )

    assert update.fields == []
    assert update.event is None
    assert len(queries) == 0
    assert not AuditEvent.objects.exists()


def test_only_the_changed_fields_are_saved(program_a, coordinator_a):
    with CaptureQueriesContext(connection) as queries:
        update_and_audit(
            instance=program_a,
            changes={"name": "Renamed", "description": "New words", "is_active": True},
            actor=coordinator_a,
            action="programs.program.changed",
        )

    (saved,) = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert '"name"' in saved
    assert '"description"' in saved
    assert '"is_active"' not in saved
    program_a.refresh_from_db()
    assert (program_a.name, program_a.description) == ("Renamed", "New words")


def test_the_event_names_the_changed_fields_but_not_their_values(program_a, coordinator_a):
    update = update_and_audit(
        instance=program_a,
        changes={"name": "Renamed", "description": "Secret words"},
        actor=coordinator_a,
        action="programs.program.changed",
        data_key="changed",
    )

    event = AuditEvent.objects.get()
    assert update.event == event
    assert update.fields == ["name", "description"]
    assert event.action == "programs.program.changed"
    assert event.data == {"changed": ["description", "name"]}
    assert event.program_id == program_a.pk
    assert "Secret" not in str(event.data)


def test_a_refused_check_saves_and_records_nothing(program_a, coordinator_a):
    def refuse(changed: list[str]) -> None:
        assert changed == ["name"]
        raise DomainError("No.")

    with pytest.raises(DomainError):
        update_and_audit(
            instance=program_a,
            changes={"name": "Renamed"},
            actor=coordinator_a,
            action="programs.program.changed",
            check=refuse,
        )

    program_a.refresh_from_db()
    assert program_a.name == "Program A"
    assert not AuditEvent.objects.exists()
