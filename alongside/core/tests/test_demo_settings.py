"""The demo `make run` serves is served as production would be, and file mail lands in var/mail.

These start real processes with the settings an installation has (not test mode), as the
findings were made: a server that answers a stranger's 404 and a static file, and the mail
folder the settings resolve.
"""

import gzip
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection
from django.test import override_settings

from alongside.core import field_keys
from alongside.core.tests.web_server import WebServer, collected_static, free_port
from config.mail import mail_folder

BASE_DIR = Path(settings.BASE_DIR)
VAR_DIR = Path(settings.VAR_DIR)


def demo_environment(**extra: str) -> dict[str, str]:
    """What the .env that `make run` writes sets (with keys of its own), nothing of the tests'."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTEST", "ALONGSIDE_", "DJANGO_", "EMAIL_"))
    }
    environment.update(
        ALONGSIDE_TESTING="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALONGSIDE_FIELD_KEYS=Fernet.generate_key().decode(),
        ALONGSIDE_INDEX_KEYS=secrets.token_urlsafe(32),
        ALONGSIDE_HTTPS="false",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONUNBUFFERED="1",
        # Not the developer's .env (`make run` writes one marked as a demo): only these.
        ALONGSIDE_ENV_FILE=os.devnull,
    )
    environment.update(env_file_make_run_writes())
    environment.update(extra)
    return environment


def setting(name: str, environment: dict[str, str]) -> str:
    """A setting as a process with `environment` reads it."""
    answer = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return answer.stdout.strip()


def env_file_make_run_writes() -> dict[str, str]:
    """The fixed settings the Makefile's `.env` recipe writes (the generated keys left out)."""
    recipe = re.search(r"^\.env:.*?\n((?:\t.*\n)+)", (BASE_DIR / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no .env recipe"
    return dict(re.findall(r'echo "([A-Z_]+)=([^"$]*)"', recipe.group(1)))


# --- file mail -------------------------------------------------------------------------------


def test_by_default_file_mail_lands_in_the_absolute_var_mail_folder() -> None:
    mailers = setting("MAILERS['default']", demo_environment())

    assert "filebased.EmailBackend" in mailers
    assert f"'file_path': '{VAR_DIR / 'mail'}'" in mailers
    assert (VAR_DIR / "mail").is_absolute()


@pytest.mark.parametrize(
    ("url", "folder"),
    [
        ("filemail://", VAR_DIR / "mail"),
        ("filemail:///srv/alongside/mail", Path("/srv/alongside/mail")),
        ("filemail://outgoing", VAR_DIR / "outgoing"),
    ],
)
def test_a_file_mail_url_names_its_folder_with_its_leading_slash(url: str, folder: Path) -> None:
    assert mail_folder(url, VAR_DIR) == folder


def test_an_absolute_file_mail_folder_keeps_its_leading_slash_in_the_settings() -> None:
    mailers = setting(
        "MAILERS['default']", demo_environment(EMAIL_URL="filemail:///srv/alongside/mail")
    )

    assert "'file_path': '/srv/alongside/mail'" in mailers


# --- the demo, served as production ---------------------------------------------------------


def test_the_env_make_run_writes_turns_no_debugging_on() -> None:
    written = env_file_make_run_writes()

    assert written["DJANGO_DEBUG"] == "false"
    assert written["ALONGSIDE_HTTPS"] == "false"
    assert setting("DEBUG", demo_environment()) == "False"


def test_the_env_make_run_writes_marks_a_demo_and_an_installation_is_none_by_default() -> None:
    written = env_file_make_run_writes()
    not_marked = {
        name: value for name, value in demo_environment().items() if name != "ALONGSIDE_DEMO"
    }

    assert written["ALONGSIDE_DEMO"] == "true"
    assert setting("DEMO", demo_environment()) == "True"
    assert setting("DEMO", not_marked) == "False"


def database_url() -> str:
    """The test database, as a URL another process can open."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{database['NAME']}"
    user = database.get("USER") or ""
    host = database.get("HOST") or "127.0.0.1"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{user}@{host}{port}/{database['NAME']}"


def stylesheet_link(page: str) -> str:
    found = re.search(
        r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page
    )
    assert found, "the page links no hashed Bootstrap stylesheet"
    return found.group(1)


def test_the_demo_is_served_by_the_procfiles_gunicorn_without_stack_traces_with_hashed_static_files(
    transactional_db: None, tmp_path: Path
) -> None:
    field_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[field_key]):
        field_keys.write_key_check()  # as setting up an installation with this key does
    environment = collected_static(
        demo_environment(DATABASE_URL=database_url(), ALONGSIDE_FIELD_KEYS=field_key)
    )
    server = WebServer(environment, port=free_port(), log=tmp_path / "web.log")
    try:
        missing = server.wait("/no-such-page/")
        sign_in = server.ask("/accounts/login/")
        stylesheet = stylesheet_link(sign_in.text)
        compressed = server.ask(stylesheet, {"Accept-Encoding": "gzip"})
        unhashed = server.ask("/static/vendor/bootstrap/css/bootstrap.min.css")
    finally:
        server.stop()

    assert missing.status == 404
    assert "URLconf" not in missing.text
    assert "Traceback" not in missing.text
    assert "admin/" not in missing.text
    assert sign_in.status == 200
    assert sign_in.headers["Server"] == "gunicorn"
    assert compressed.status == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert "Bootstrap" in gzip.decompress(compressed.body).decode()
    assert compressed.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    assert unhashed.status == 404  # only the hashed names are kept, so no copy goes stale


def test_a_wsgi_server_refuses_to_start_before_the_static_files_are_collected(
    transactional_db: None, tmp_path: Path
) -> None:
    field_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[field_key]):
        field_keys.write_key_check()
    environment = demo_environment(
        DATABASE_URL=database_url(),
        ALONGSIDE_FIELD_KEYS=field_key,
        ALONGSIDE_STATIC_ROOT=str(tmp_path / "nothing-collected"),
    )

    refused = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert refused.returncode != 0
    assert "The static files have not been collected" in refused.stderr
    assert "collectstatic" in refused.stderr
