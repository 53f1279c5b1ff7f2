"""docs/deploy.md's commands are the ones the tests run: an operator types what the suite checks.

The guide is read as an operator reads it, from its code blocks: every `manage.py` command it
names must exist and be run by a test of the suite (by `call_command` or as a real `manage.py`
process); the systemd units must start the Procfile's processes, which the tests start; every
variable it sets must be one `.env.example` documents. A command renamed, or a guide that drifts
from the code, fails here.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

BASE_DIR = Path(settings.BASE_DIR)
GUIDE = BASE_DIR / "docs" / "deploy.md"
CODE_BLOCK = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
MANAGE_COMMAND = re.compile(r"manage\.py ([a-z_]+)")
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# .env.example documents a variable by setting it, or by showing it commented out.
DOCUMENTED = re.compile(r"^#? ?([A-Z][A-Z0-9_]*)=", re.MULTILINE)
INSTALLATION = "/srv/alongside/"


def code_blocks() -> list[str]:
    return CODE_BLOCK.findall(GUIDE.read_text())


def commands_in_guide() -> list[str]:
    return sorted({name for block in code_blocks() for name in MANAGE_COMMAND.findall(block)})


def modules_running_commands() -> list[str]:
    """The text of every test module that runs management commands (by `call_command` or as
    real `manage.py` processes); this one is left out (it names the commands to look for)."""
    this = Path(__file__).resolve()
    modules = [*BASE_DIR.glob("alongside/**/tests/**/*.py"), *BASE_DIR.glob("tests/**/*.py")]
    texts = (path.read_text() for path in modules if path.resolve() != this)
    return [text for text in texts if "call_command" in text or '"manage.py"' in text]


def procfile() -> dict[str, str]:
    processes = {}
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        processes[name.strip()] = command.strip()
    return processes


def test_the_guide_names_the_commands_of_a_whole_installation() -> None:
    # The reading below is not empty by accident: these are the steps an operator cannot skip.
    assert {"migrate", "createcachetable", "collectstatic", "start_installation"} <= set(
        commands_in_guide()
    )


@pytest.mark.parametrize("command", commands_in_guide())
def test_each_command_of_the_guide_exists_and_a_test_runs_it(command: str) -> None:
    assert command in get_commands(), f"docs/deploy.md names `manage.py {command}`: no such command"
    # A module that runs commands names this one as a string: "migrate", call_command("migrate"…,
    # ["manage.py", "migrate"], or its own helper's run("backup_database", …).
    named = f'"{command}"'
    assert any(named in text for text in modules_running_commands()), (
        f"docs/deploy.md tells operators to run `manage.py {command}`, and no test runs it"
    )


def test_the_systemd_units_start_the_procfiles_processes() -> None:
    started = {
        line.removeprefix("ExecStart=").replace(INSTALLATION + ".venv/bin/", "")
        for block in code_blocks()
        for line in block.splitlines()
        if line.startswith("ExecStart=")
    }
    # The backup timer's unit starts a command; the others are the Procfile's processes.
    assert set(procfile().values()) <= started
    assert not {command for command in started if "manage.py" not in command} - set(
        procfile().values()
    ), "a unit starts something other than the Procfile's processes and manage.py commands"


def test_every_variable_the_guide_sets_is_documented_in_env_example() -> None:
    documented = set(DOCUMENTED.findall((BASE_DIR / ".env.example").read_text()))
    in_guide = {name for block in code_blocks() for name in ASSIGNMENT.findall(block)}
    assert in_guide, "the guide sets no variable: the reading is broken"
    assert in_guide <= documented, f"not in .env.example: {sorted(in_guide - documented)}"
