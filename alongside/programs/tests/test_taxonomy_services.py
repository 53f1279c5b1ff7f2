"""The shared list of experiences: adding one, the rules it is held to (each message naming its
field), and the audit."""

import pytest

from alongside.core.models import AuditEvent
from alongside.programs.models import Experience, ExperienceCategory
from alongside.programs.services import SettingsError, add_experience

pytestmark = pytest.mark.django_db


def refused(**arguments) -> dict[str, list[str]]:
    with pytest.raises(SettingsError) as error:
        add_experience(**arguments)
    return error.value.errors


def test_an_administrator_adds_an_allied_condition_counted_with_ms(administrator, ms):
    nmosd = add_experience(
        by=administrator,
        slug="nmosd",
        name="  Neuromyelitis optica  spectrum disorder ",
        category=ExperienceCategory.HEALTH_CONDITION,
        allied_to=ms,
    )

    nmosd.refresh_from_db()
    assert nmosd.name == "Neuromyelitis optica spectrum disorder"
    assert nmosd.family_slug == "ms"
    event = AuditEvent.objects.get(action="programs.experience.added")
    assert event.actor == administrator
    assert event.target_id == str(nmosd.pk)
    assert event.data == {"slug": "nmosd"}


def test_a_code_already_taken_or_badly_written_is_refused_naming_the_code(administrator, ms):
    taken = refused(by=administrator, slug="ms", name="MS again", category="health_condition")
    spaces = refused(by=administrator, slug="Grief And Loss", name="Grief", category="loss")

    assert "already has the code “ms”" in taken["slug"][0]
    assert "small letters, numbers and single hyphens" in spaces["slug"][0]
    assert Experience.objects.count() == 1


def test_a_missing_name_and_an_unknown_category_are_each_named(administrator):
    errors = refused(by=administrator, slug="grief", name="  ", category="weather")

    assert errors["name"] == ["Give the experience a name."]
    assert errors["category"] == ["Choose the kind of experience this is."]
    assert not Experience.objects.filter(slug="grief").exists()


def test_an_experience_cannot_be_allied_to_one_that_is_itself_allied(administrator, ms):
    nmosd = add_experience(
        by=administrator, slug="nmosd", name="NMOSD", category="health_condition", allied_to=ms
    )

    errors = refused(
        by=administrator, slug="mogad", name="MOGAD", category="health_condition", allied_to=nmosd
    )

    assert "“NMOSD” is itself allied to another experience" in errors["allied_to"][0]
    assert not Experience.objects.filter(slug="mogad").exists()
