"""The translation catalogues: one per app, one for the project, refreshed and compiled here.

Each app's strings (its Python code and its templates under `alongside/templates/<app>/`) go to
`alongside/<app>/locale/<lang>/LC_MESSAGES/django.po`, so translators can split the work by app;
Django finds an installed app's `locale` directory by itself. The project's own strings (the base
page, the error pages, `config/`) go to `alongside/locale/` (LOCALE_PATHS). allauth's templates
overridden under `account/`, `allauth/` and `mfa/` belong to accounts, which owns signing in.

The `.po` files are refreshed from the source with Django's makemessages (GNU xgettext and
msgmerge underneath) and compiled to `.mo` files with GNU msgfmt. `.mo` files are build products
and are not committed: `make compilemessages`, `make run`, `make test` and the test run itself
compile the stale ones. `tools/messages.py` and `tools/check_translations.py` are the commands.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "alongside"
TEMPLATES = APPS / "templates"
PROJECT_LOCALE = APPS / "locale"
# The languages we ship besides English (the source language), as gettext spells them.
LANGUAGES = ("fr_CA",)
DOMAINS = ("django", "djangojs")
# Template folders whose owner is not the app of the same name: allauth's overrides.
TEMPLATE_OWNERS = {"account": "accounts", "allauth": "accounts", "mfa": "accounts"}
# Not user-facing: tests, migrations and the test factories are never translated.
IGNORED = ("tests", "migrations", "factories.py", "locale", "__pycache__", "static")
# A new catalogue's header: Canadian French has two plural forms, the singular for 0 and 1.
PLURAL_FORMS = {"fr_CA": "nplurals=2; plural=(n > 1);"}
LANGUAGE_TEAMS = {"fr_CA": "French (Canada)"}
_DATE_LINE = re.compile(r'^"POT-Creation-Date: .*\\n"\n', re.MULTILINE)


@dataclass(frozen=True)
class Catalogue:
    """Where one catalogue's strings come from and where its files live."""

    name: str
    locale_dir: Path
    sources: tuple[Path, ...]

    def po_file(self, language: str, domain: str = "django") -> Path:
        return self.locale_dir / language / "LC_MESSAGES" / f"{domain}.po"


def catalogues() -> list[Catalogue]:
    """Every app with code (an `apps.py`) has a catalogue; the project has the last one."""
    apps = sorted(path.parent.name for path in APPS.glob("*/apps.py"))
    result = []
    for app in apps:
        folders = [name for name, owner in TEMPLATE_OWNERS.items() if owner == app]
        sources = (APPS / app, *(TEMPLATES / folder for folder in [app, *folders]))
        result.append(Catalogue(app, APPS / app / "locale", sources))
    owned = set(apps) | set(TEMPLATE_OWNERS)
    project_templates = [path for path in sorted(TEMPLATES.iterdir()) if path.name not in owned]
    result.append(Catalogue("project", PROJECT_LOCALE, (ROOT / "config", *project_templates)))
    return result


def source_files(catalogue: Catalogue, extensions: tuple[str, ...]) -> Iterator[Path]:
    """The files a catalogue's strings are extracted from."""
    for source in catalogue.sources:
        if source.is_file():
            if source.suffix in extensions:
                yield source
            continue
        for dirpath, dirnames, filenames in os.walk(source):
            dirnames[:] = sorted(name for name in dirnames if name not in IGNORED)
            for filename in sorted(filenames):
                if filename not in IGNORED and Path(filename).suffix in extensions:
                    yield Path(dirpath) / filename


def refresh(*, scratch: Path | None = None, verbosity: int = 0) -> list[Catalogue]:
    """Extract the marked strings and merge them into each catalogue's `.po` files.

    With `scratch`, the committed files are left alone: copies are merged under that folder
    (the checker's way to count what a fresh extraction would leave untranslated).
    """
    from django.core.management import call_command

    found = catalogues()
    previous = Path.cwd()
    os.chdir(ROOT)
    try:
        for domain in DOMAINS:
            command = _extraction_command(found, scratch)
            call_command(
                command,
                locale=list(LANGUAGES),
                domain=domain,
                add_location="file",
                no_wrap=True,
                no_obsolete=True,
                verbosity=verbosity,
            )
    finally:
        os.chdir(previous)
    return found


def _extraction_command(found: list[Catalogue], scratch: Path | None) -> Any:
    """Django's makemessages, told which files belong to which catalogue."""
    from django.core.management.commands import makemessages

    class Extract(makemessages.Command):
        def find_files(self, root: str) -> list[makemessages.TranslatableFile]:
            extensions = tuple(self.extensions)
            files = []
            for catalogue in found:
                locale_dir = str(catalogue.locale_dir)
                catalogue.locale_dir.mkdir(exist_ok=True)
                if locale_dir not in self.locale_paths:
                    self.locale_paths.append(locale_dir)
                for path in source_files(catalogue, extensions):
                    relative = Path(".", path.relative_to(ROOT))
                    files.append(
                        makemessages.TranslatableFile(
                            f"./{relative.parent}", relative.name, locale_dir
                        )
                    )
            return sorted(files)

        def write_po_file(self, potfile: str, locale: str) -> None:
            pot = Path(potfile)
            po = pot.parent / locale / "LC_MESSAGES" / f"{self.domain}.po"
            if scratch is not None:
                copy = scratch / pot.parent.relative_to(ROOT)
                (copy / locale / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
                shutil.copy(pot, copy / pot.name)
                if po.exists():
                    shutil.copy(po, copy / locale / "LC_MESSAGES" / po.name)
                pot, po = copy / pot.name, copy / locale / "LC_MESSAGES" / po.name
            super().write_po_file(str(pot), locale)
            # The extraction date would change in every branch that marks a string, and make
            # merging two translators' work conflict on that line: leave it out.
            po.write_text(_DATE_LINE.sub("", po.read_text(encoding="utf-8")), encoding="utf-8")

        def copy_plural_forms(self, msgs: str, locale: str) -> str:
            return new_header(msgs, locale)

    return Extract()


def new_header(msgs: str, language: str) -> str:
    """A new catalogue's header, filled in (in msgmerge's order) instead of placeholders."""
    _, _, body = msgs.partition('msgid ""\n')
    header, _, entries = body.partition("\n\n")
    created = re.search(r"POT-Creation-Date: ([^\\]*)", header)
    date = created[1] if created else ""
    fields = {
        "Project-Id-Version": "Alongside",
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": date,
        "Last-Translator": "Alongside's translators",
        "Language-Team": LANGUAGE_TEAMS.get(language, language),
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": PLURAL_FORMS.get(language, "nplurals=2; plural=(n != 1);"),
    }
    lines = [
        "# Alongside's translations, under the same license as Alongside.",
        'msgid ""',
        'msgstr ""',
        *(f'"{name}: {value}\\n"' for name, value in fields.items()),
    ]
    return "\n".join(lines) + "\n\n" + entries


def po_files() -> list[Path]:
    """Every catalogue file in the source tree, in every language."""
    found = []
    for catalogue in catalogues():
        for language in LANGUAGES:
            for domain in DOMAINS:
                if catalogue.po_file(language, domain).exists():
                    found.append(catalogue.po_file(language, domain))
    return found


def msgfmt() -> str:
    """GNU gettext's compiler, or a clear error saying how to get it."""
    program = shutil.which("msgfmt")
    if program is None:
        raise RuntimeError(
            "GNU gettext's msgfmt is missing: `make gettext` installs it (Debian's gettext)."
        )
    return program


def compile_catalogues(*, stale_only: bool = True) -> list[Path]:
    """Compile each `.po` file whose `.mo` is missing or older; returns the compiled files.

    msgfmt --check refuses a translation whose placeholders differ from the English one's.
    The `.mo` is written beside and renamed into place, so a reader never sees half a file.
    """
    compiled = []
    for po in po_files():
        mo = po.with_suffix(".mo")
        if stale_only and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        partial = mo.with_suffix(".mo.partial")
        subprocess.run(  # noqa: S603 - a fixed program and our own files
            [msgfmt(), "--check", "-o", str(partial), str(po)], check=True
        )
        partial.replace(mo)
        compiled.append(mo)
    return compiled


@dataclass(frozen=True)
class Statistics:
    translated: int
    fuzzy: int
    untranslated: int

    @property
    def missing(self) -> int:
        return self.fuzzy + self.untranslated


def statistics(po: Path) -> Statistics:
    """Counts of a catalogue's entries, as msgfmt reports them."""
    result = subprocess.run(  # noqa: S603 - a fixed program and our own files
        [msgfmt(), "--statistics", "-o", os.devnull, str(po)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "LC_ALL": "C"},
    )
    counts = {
        kind: int(number)
        for number, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", result.stderr)
    }
    return Statistics(
        counts.get("translated", 0), counts.get("fuzzy", 0), counts.get("untranslated", 0)
    )


def missing_entries(po: Path) -> list[str]:
    """The English text of each untranslated or fuzzy entry of a catalogue."""
    entries = []
    for selection in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(  # noqa: S603 - a fixed program and our own files
            ["msgattrib", selection, "--no-wrap", "--no-location", str(po)],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        )
        entries += [text for text in _msgids(result.stdout) if text]
    return entries


def _msgids(po_text: str) -> list[str]:
    """The English text of each entry of a catalogue (continuation lines joined)."""
    found = []
    for match in re.finditer(r'^msgid ((?:".*"\n)+)', po_text, re.MULTILINE):
        parts = re.findall(r'"(.*)"', match[1])
        found.append("".join(parts).replace("\\n", " "))
    return found
