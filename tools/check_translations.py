"""Report, per catalogue, the marked strings that have no French translation yet.

Run from the repository root (`make check-translations`):

    .venv/bin/python tools/check_translations.py               # counts per catalogue
    .venv/bin/python tools/check_translations.py --list intake # and the English of each one

It first extracts the strings from the source again, merging into copies of the catalogues in a
temporary folder (the committed files are left alone), so a string marked since the last
`make messages` counts as missing. A fuzzy entry (msgmerge's guess after the English changed)
counts as missing too: Django does not use it. Exits 1 when anything is missing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import catalogues  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--list", nargs="*", metavar="CATALOGUE", help="list the missing strings (of these)"
    )
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALONGSIDE_TESTING", "true")
    import django

    django.setup()
    missing_total = 0
    with tempfile.TemporaryDirectory(prefix="alongside-translations-") as scratch:
        found = catalogues.refresh(scratch=Path(scratch))
        print(f"{'catalogue':14} {'language':8} {'translated':>10} {'missing':>8} {'fuzzy':>6}")
        for catalogue in found:
            for language in catalogues.LANGUAGES:
                for domain in catalogues.DOMAINS:
                    committed = catalogue.po_file(language, domain)
                    po = Path(scratch) / committed.relative_to(catalogues.ROOT)
                    if not po.exists():
                        continue
                    counts = catalogues.statistics(po)
                    missing_total += counts.missing
                    name = catalogue.name if domain == "django" else f"{catalogue.name} (js)"
                    print(
                        f"{name:14} {language:8} {counts.translated:>10} "
                        f"{counts.missing:>8} {counts.fuzzy:>6}"
                    )
                    listed = options.list is not None and (
                        not options.list or catalogue.name in options.list
                    )
                    if listed and counts.missing:
                        for text in catalogues.missing_entries(po):
                            print(f"    {text}")
    if missing_total:
        print(f"{missing_total} marked strings have no translation yet.")
    else:
        print("Every marked string is translated.")
    return 1 if missing_total else 0


if __name__ == "__main__":
    sys.exit(main())
