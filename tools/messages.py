"""Refresh the translation catalogues from the source, or compile them.

Run from the repository root (`make messages`, `make compilemessages`):

    .venv/bin/python tools/messages.py              # extract and merge into every .po file
    .venv/bin/python tools/messages.py --compile    # .po -> .mo, only the stale ones
    .venv/bin/python tools/messages.py --compile --all

One catalogue per app (`alongside/<app>/locale/`), with its templates from
`alongside/templates/<app>/`, and one for the project (`alongside/locale/`): see
config/catalogues.py. Locations are written as file names without line numbers: a translator
still sees where a string is used, and moving code does not rewrite every catalogue it touches.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import catalogues  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compile", action="store_true", help="compile .po files into .mo")
    parser.add_argument("--all", action="store_true", help="with --compile: also the fresh ones")
    parser.add_argument("-v", "--verbosity", type=int, default=0)
    options = parser.parse_args()
    if options.compile:
        for mo in catalogues.compile_catalogues(stale_only=not options.all):
            print(f"compiled {mo.relative_to(ROOT)}")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALONGSIDE_TESTING", "true")
    import django

    django.setup()
    for catalogue in catalogues.refresh(verbosity=options.verbosity):
        for po in catalogue.locale_dir.glob("*/LC_MESSAGES/*.po"):
            print(f"{catalogue.name:14} {po.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
