"""/health/metrics: who gets it, and that its numbers are the installation's.

The endpoint is asked in this process; test_metrics_processes.py in core checks that several
processes' requests add up (multiprocess mode).
"""

import datetime as dt

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from prometheus_client.parser import text_string_to_metric_families

from alongside.core import metrics as core_metrics
from alongside.core.hooks import Registry
from alongside.notifications.metrics import outbox_by_state
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.periodic.models import ItemFailure, JobRun
from alongside.periodic.registry import all_jobs

TOKEN = "t" * 40
AUTHORIZED = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

type Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: Client) -> Samples:
    response = client.get(reverse("health_metrics"), **AUTHORIZED)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


# --- who gets it ------------------------------------------------------------------------------


@override_settings(METRICS_TOKEN="")
def test_without_a_token_set_the_page_is_not_there_even_with_a_token_offered(
    db: None, client: Client
) -> None:
    response = client.get(reverse("health_metrics"), **AUTHORIZED)  # type: ignore[arg-type]

    assert response.status_code == 404


@override_settings(METRICS_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Bearer {TOKEN[:-1]}", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer"],
)
def test_a_missing_or_wrong_token_gets_403_and_no_numbers(
    db: None, client: Client, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get(reverse("health_metrics"), **headers)  # type: ignore[arg-type]

    assert response.status_code == 403
    assert b"alongside_" not in response.content


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_right_token_gets_the_metrics_uncached(db: None, client: Client) -> None:
    response = client.get(reverse("health_metrics"), **AUTHORIZED)  # type: ignore[arg-type]

    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert b"alongside_ready " in response.content


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_scheme_written_in_lower_case_is_accepted(db: None, client: Client) -> None:
    response = client.get(reverse("health_metrics"), HTTP_AUTHORIZATION=f"bearer {TOKEN}")

    assert response.status_code == 200


# --- its numbers ------------------------------------------------------------------------------


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_request_is_counted_by_view_name_method_and_status_class_never_by_path(
    db: None, client: Client
) -> None:
    labels = {"view": "health_live", "method": "GET", "status": "2xx"}
    before = value(scrape(client), "alongside_request_seconds_count", **labels) or 0

    client.get(reverse("health_live") + "?name=Alice+Tremblay")
    client.get("/no/such/page/42/")
    samples = scrape(client)

    assert value(samples, "alongside_request_seconds_count", **labels) == before + 1
    assert (value(samples, "alongside_request_seconds_count", view="unresolved", method="GET",
                  status="4xx") or 0) >= 1  # fmt: skip
    shown = " ".join(str(dict(labels)) for _name, labels in samples)
    assert "Alice" not in shown
    assert "/no/such/page" not in shown


def test_an_unusual_method_is_counted_as_other() -> None:
    core_metrics.record_request(view="health_live", method="BREW", status=418, seconds=0.1)

    sample = core_metrics.REQUEST_SECONDS.labels(view="health_live", method="other", status="4xx")
    assert sample._sum.get() >= 0.1


def message(key: str, status: MessageStatus) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address="alice.tremblay@example.org",
        subject="Your match",
        body="Hello",
        idempotency_key=key,
        status=status,
        next_attempt_at=timezone.now(),
    )


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_outbox_is_counted_by_state_every_state_shown(db: None, client: Client) -> None:
    message("a", MessageStatus.PENDING)
    message("b", MessageStatus.PENDING)
    message("c", MessageStatus.DEAD)

    samples = scrape(client)

    assert value(samples, "alongside_outbox_messages", state="pending") == 2
    assert value(samples, "alongside_outbox_messages", state="dead") == 1
    assert value(samples, "alongside_outbox_messages", state="sending") == 0
    assert "alice" not in str(samples)


@override_settings(METRICS_TOKEN=TOKEN)
def test_the_queue_depth_is_the_queues(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HUEY, "pending_count", lambda: 7)

    assert value(scrape(client), "alongside_queue_waiting") == 7


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_queue_that_does_not_answer_fails_its_check_not_the_scrape(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> int:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(HUEY, "pending_count", refuse)

    samples = scrape(client)

    assert value(samples, "alongside_ready_check", check="queue") == 0
    assert value(samples, "alongside_ready_check", check="database") == 1
    assert value(samples, "alongside_ready") == 0
    assert value(samples, "alongside_queue_waiting") is None


@override_settings(METRICS_TOKEN=TOKEN)
def test_each_jobs_last_run_and_failing_items_are_shown(db: None, client: Client) -> None:
    job, never_run = (job.name for job in all_jobs()[:2])
    started = timezone.now() - dt.timedelta(seconds=10)
    JobRun.objects.create(
        job=job,
        started_at=started,
        finished_at=started + dt.timedelta(seconds=2.5),
        items_done=40,
        items_failed=3,
    )
    for item_pk in (1, 2):
        ItemFailure.objects.create(
            job=job,
            item_pk=item_pk,
            error_type="ValueError",
            first_failed_at=started,
            last_failed_at=started,
            retry_at=started + dt.timedelta(minutes=2),
        )
    JobRun.objects.create(job="a job no longer declared", started_at=started)

    samples = scrape(client)

    assert value(samples, "alongside_periodic_job_last_run_seconds", job=job) == 2.5
    assert value(samples, "alongside_periodic_job_last_run_items_done", job=job) == 40
    assert value(samples, "alongside_periodic_job_last_run_items_failed", job=job) == 3
    assert value(samples, "alongside_periodic_job_failing_items", job=job) == 2
    assert value(samples, "alongside_periodic_job_running", job=job) == 0
    assert value(samples, "alongside_periodic_job_failing_items", job=never_run) == 0
    assert value(samples, "alongside_periodic_job_last_run_seconds", job=never_run) is None
    assert "a job no longer declared" not in str(samples)


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_run_not_finished_is_shown_running(db: None, client: Client) -> None:
    job = all_jobs()[0].name
    JobRun.objects.create(job=job, started_at=timezone.now())

    assert value(scrape(client), "alongside_periodic_job_running", job=job) == 1


@override_settings(METRICS_TOKEN=TOKEN)
def test_a_collector_that_fails_is_reported_down_and_the_others_still_answer(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[object]:
        raise RuntimeError("alice.tremblay@example.org")

    monkeypatch.setattr(core_metrics, "scrape_collectors", Registry())
    core_metrics.on_scrape(broken)  # type: ignore[arg-type]
    core_metrics.on_scrape(outbox_by_state)

    samples = scrape(client)

    name = f"{__name__}.{broken.__qualname__}"
    assert value(samples, "alongside_metrics_collector_up", collector=name) == 0
    assert value(samples, "alongside_outbox_messages", state="pending") == 0
    assert "alice" not in str(samples)
