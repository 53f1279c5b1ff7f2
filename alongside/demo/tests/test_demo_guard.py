"""The demo's data is made only on an installation marked as a demo (ALONGSIDE_DEMO=true)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from alongside.accounts.models import User
from alongside.programs.models import Program


@pytest.mark.django_db
@override_settings(DEMO=False)
@pytest.mark.parametrize(
    "command", [["seed_demo"], ["seed_demo", "--logins"], ["generate_province", "--programs", "1"]]
)
def test_an_installation_not_marked_as_a_demo_gets_no_demo_data(command: list[str]) -> None:
    out = StringIO()

    with pytest.raises(CommandError) as refusal:
        call_command(*command, stdout=out)

    assert "not marked as a demo" in str(refusal.value)
    assert "ALONGSIDE_DEMO=true" in str(refusal.value)
    assert "start_installation" in str(refusal.value)
    assert "alongside-demo" not in out.getvalue()  # not even the logins' password
    assert not Program.objects.exists()
    assert not User.objects.exists()
