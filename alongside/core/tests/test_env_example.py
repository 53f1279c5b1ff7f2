"""What .env.example sets is what the code does by default: copying it changes nothing.

An operator copies .env.example to .env and fills in the keys; a value there that differs from
the code's default (as its e-mail URL once did) would change the installation without anyone
choosing it. Both are read by real processes, outside test mode, with no .env file read.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")
# Every setting, as text, read with .env left unread (the environment alone decides).
READ_SETTINGS = """
import environ, json
environ.Env.read_env = classmethod(lambda *args, **kwargs: None)
from django.conf import settings
print(json.dumps({name: repr(getattr(settings, name)) for name in dir(settings) if name.isupper()}))
"""


def example_values() -> dict[str, str]:
    """The variables .env.example sets to a value (the keys it leaves empty are left out)."""
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        found = ASSIGNMENT.match(line)
        if found and found.group(2):
            values[found.group(1)] = found.group(2).strip('"')
    return values


def settings_with(variables: dict[str, str]) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST", "ALONGSIDE_", "DJANGO_", "EMAIL_", "HUEY_", "CACHE_"))
        and name not in {"DATABASE_URL", "SECRET_KEY", "LOG_LEVEL", "SMS_BACKEND"}
    }
    environment |= {
        "ALONGSIDE_TESTING": "false",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "the same for both",
    }
    answer = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=BASE_DIR,
        env=environment | variables,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    read: dict[str, str] = json.loads(answer.stdout)
    # .env.example sets no database; its test database's name holds the process's id.
    read.pop("DATABASES")
    return read


def test_every_value_env_example_sets_is_the_codes_default() -> None:
    values = example_values()
    values.pop("SECRET_KEY", None)

    defaults = settings_with({})
    copied = settings_with(values)

    assert "EMAIL_URL" in values
    assert {
        name: (defaults[name], copied[name]) for name in defaults if defaults[name] != copied[name]
    } == {}


def test_every_variable_the_settings_read_is_in_env_example() -> None:
    read = set(
        re.findall(
            r'env\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', (BASE_DIR / "config/settings.py").read_text()
        )
    )
    listed = (BASE_DIR / ".env.example").read_text()

    assert len(read) > 30
    assert sorted(name for name in read if not re.search(rf"\b{name}=", listed)) == []
