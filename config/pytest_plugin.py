"""Puts pytest in test mode: ALONGSIDE_TESTING=true, before Django's settings are read.

Loaded with `-p config.pytest_plugin` from pyproject's addopts. pytest imports `-p` plugins
before any plugin hook runs, and pytest-django reads the settings in its
pytest_load_initial_conftests hook, earlier than any conftest.py is imported; so a conftest
would be too late, and this module sets the variable as it is imported. Plain `pytest`,
`python -m pytest`, `make test-*` and xdist workers all pass through here.
"""

import os

os.environ["ALONGSIDE_TESTING"] = "true"


def pytest_sessionstart(session: object) -> None:
    """Compile the stale translation catalogues once, so pages render in French under test
    however pytest was started (`make test` compiles them too). xdist's workers find them done:
    the controller's session starts before it launches them."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    import subprocess

    import pytest

    from config.catalogues import compile_catalogues

    try:
        compile_catalogues()
    except RuntimeError as error:
        raise pytest.UsageError(str(error)) from error
    except subprocess.CalledProcessError as error:
        raise pytest.UsageError(f"A translation catalogue does not compile: {error}") from error
