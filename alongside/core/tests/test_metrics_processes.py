"""Several processes' requests add up at a scrape (prometheus-client's multiprocess mode), as
gunicorn's workers do with ALONGSIDE_METRICS_DIR; the server forgets a past start's numbers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from prometheus_client.parser import text_string_to_metric_families

from alongside.core.metrics import exposition
from config import gunicorn

A_WORKER = """
import django
django.setup()
from prometheus_client import values
from alongside.core.metrics import record_request
assert values.ValueClass.__name__ != "MutexValue", "not in multiprocess mode"
record_request(view="home", method="GET", status=200, seconds=0.02)
record_request(view="home", method="GET", status=200, seconds=0.3)
"""


def run_a_worker(directory: Path) -> None:
    env = os.environ | {"ALONGSIDE_METRICS_DIR": str(directory)}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # settings derive it from ALONGSIDE_METRICS_DIR
    subprocess.run(
        [sys.executable, "-c", A_WORKER], env=env, cwd=settings.BASE_DIR, check=True, timeout=120
    )


def home_requests(text: str) -> tuple[float, float]:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.labels.get("view") == "home" and sample.name.endswith("_count"):
                count = sample.value
            if sample.labels.get("view") == "home" and sample.name.endswith("_sum"):
                total = sample.value
    return count, total


def test_the_requests_of_several_processes_add_up(db: None, tmp_path: Path) -> None:
    run_a_worker(tmp_path)
    run_a_worker(tmp_path)

    count, total = home_requests(exposition(directory=str(tmp_path)).decode())

    assert len(list(tmp_path.glob("histogram_*.db"))) == 2
    assert count == 4
    assert total == pytest.approx(0.64)


def test_the_server_forgets_a_past_starts_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_a_worker(tmp_path)
    monkeypatch.setattr(gunicorn, "METRICS_DIR", str(tmp_path))

    gunicorn.on_starting(server=None)

    assert list(tmp_path.glob("*.db")) == []


def test_a_worker_that_ends_keeps_its_counts(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_a_worker(tmp_path)
    (pid,) = (int(path.stem.rsplit("_", 1)[1]) for path in tmp_path.glob("histogram_*.db"))
    monkeypatch.setattr(gunicorn, "METRICS_DIR", str(tmp_path))

    gunicorn.child_exit(server=None, worker=type("Worker", (), {"pid": pid})())

    assert home_requests(exposition(directory=str(tmp_path)).decode())[0] == 2
