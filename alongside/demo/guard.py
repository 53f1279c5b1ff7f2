"""The demo is made only where an installation says it is a demo (ALONGSIDE_DEMO=true).

Its accounts share a password printed in the README, so demo data on a real installation is a
way in for anyone. `make run` marks the installation it sets up as a demo; a real installation
starts with `manage.py start_installation` instead.
"""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_unless_demo(command: str) -> None:
    """Raise CommandError, creating nothing, unless this installation is a demo."""
    if settings.DEMO:
        return
    raise CommandError(
        f"This installation is not marked as a demo, so {command} creates nothing: its accounts "
        "would share the demo password everyone can read in the README. To start a real "
        "installation, run `manage.py start_installation`. For a demo, set ALONGSIDE_DEMO=true "
        "(the .env that `make run` writes does)."
    )
