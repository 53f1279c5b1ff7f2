"""Done when (issue 18): two app servers and two workers on PostgreSQL + Redis, 200 concurrent
form posts through both (0 lost, 0 duplicated, 0 connection resets), periodic jobs run exactly
once per tick, and killing one worker loses nothing.

Real processes, started as README's "Running more than one server" says: the Procfile's web
command (gunicorn) twice and its worker command (`manage.py run_huey`, scheduler included) twice,
outside test mode, on the suite's PostgreSQL test database, with the task queue and both caches
in a Redis database of the test's own (emptied before and after; ALONGSIDE_TEST_REDIS_URL may
name another). PostgreSQL only: on SQLite the suite leaves it out (conftest.py, `postgres`).
"""

import datetime as dt
import http.client
import os
import re
import threading
import urllib.parse
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import RedisStorage

from alongside.core import field_keys
from alongside.core.tests.test_field_keys import KEY_A, production_environment
from alongside.core.tests.web_server import WebServer, collected_static, free_port
from alongside.health.services import last_heartbeat
from alongside.intake.models import SupportRequest
from alongside.notifications.channels import message_id_for
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.services import queue_messages, requeue_overdue_messages
from alongside.notifications.tests.worker import (
    StallingSmtpHandler,
    Workers,
    database_url,
    smtp_server,
)
from alongside.periodic.models import JobRun
from alongside.programs.models import ContactMethod, Language, Program, Relationship

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("ALONGSIDE_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
FORMS = 200
SENT_TWICE = 20  # forms a double click also sends to the other server, in the same burst
MESSAGES = 200
LEASE_SECONDS = 3.0
# The Procfile's worker, polling its queue every 50 ms at most 200 ms apart (huey's default backs
# off to 10 s when idle), its scheduler on: every worker runs one.
WORKER_OPTIONS = ("-d", "0.05", "-m", "0.2")
EVERY_MINUTE = ("sweep_outbox", "move_up_unacknowledged_escalations")
TICK_LINE = re.compile(
    r"Periodic job (\w+) (runs|is not run: another worker took it) for the tick of ([\d :-]+)\."
)
WORKER_THREADS = 2
BURST_SUBJECT = "Your group meets on Thursday"


@pytest.fixture
def redis_database() -> Iterator[str]:
    """The test's own Redis database, empty. Redis must answer: this test never skips."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        raise AssertionError(
            f"The scale-out test needs Redis at {REDIS_URL} (ALONGSIDE_TEST_REDIS_URL names "
            "another): start redis-server."
        ) from error
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.fixture
def smtp() -> Iterator[tuple[int, StallingSmtpHandler]]:
    with smtp_server() as (port, handler):
        handler.release.set()  # no message is held: every send is answered at once
        yield port, handler


@pytest.fixture
def installation(
    transactional_db: None,
    settings: Any,
    redis_database: str,
    smtp: tuple[int, StallingSmtpHandler],
) -> dict[str, str]:
    """The environment of every server and worker: README's, on the test's database and Redis."""
    settings.FIELD_ENCRYPTION_KEYS = [KEY_A]  # this process writes what the workers read
    field_keys.write_key_check()
    environment = collected_static(production_environment(field_keys=KEY_A, url=database_url()))
    return environment | {
        "HUEY_REDIS_URL": redis_database,
        "CACHE_URL": redis_database,
        "ALONGSIDE_TRUSTED_PROXIES": "",
        "ALONGSIDE_PUBLIC_FORM_RATE_LIMIT": str(FORMS * 2),  # every post comes from 127.0.0.1
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp[0]}",
        "ALONGSIDE_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "HUEY_WORKERS": str(WORKER_THREADS),
        "HUEY_LOG_LEVEL": "INFO",  # the consumer says when it has started
        "LOG_LEVEL": "INFO",
    }


@pytest.fixture
def servers(installation: dict[str, str], tmp_path: Path) -> Iterator[list[WebServer]]:
    started = [
        WebServer(installation, port=free_port(), log=tmp_path / f"web-{number}.log")
        for number in (1, 2)
    ]
    try:
        for server in started:
            server.wait()
        yield started
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def workers(installation: dict[str, str], tmp_path: Path) -> Iterator[Workers]:
    """Two workers, started before the servers so that both start at once (the test waits)."""
    started = Workers(installation, log_dir=tmp_path, options=WORKER_OPTIONS)
    for _number in range(2):
        started.start()
    try:
        with tasks_queued_in_redis(installation["HUEY_REDIS_URL"]):
            yield started
    finally:
        started.stop_all()


@contextmanager
def tasks_queued_in_redis(url: str) -> Iterator[None]:
    """What this process queues (the burst of messages) goes to the workers' queue in Redis."""
    HUEY.immediate = False
    HUEY.storage = RedisStorage(HUEY.name, url=url)
    try:
        yield
    finally:
        HUEY.immediate = True


# --- the public form, filled in by 200 people at once ------------------------------------------


@dataclass(frozen=True)
class FilledForm:
    token: str
    cookie: str
    body: str


@dataclass(frozen=True)
class Outcome:
    status: int | None
    location: str = ""
    error: str = ""


@dataclass(frozen=True)
class OpenedForm:
    cookie: str
    csrf_token: str


def open_form(server: WebServer, program: Program) -> OpenedForm:
    """The form as a browser opens it: its CSRF cookie and token. One pair serves every post
    from that browser, so the test opens the form once and gives each post its own submission
    token, as each opened form has its own."""
    connection = http.client.HTTPConnection("127.0.0.1", urllib.parse.urlsplit(server.base).port)
    connection.request("GET", f"/ask/{program.slug}/")
    response = connection.getresponse()
    page = response.read().decode()
    connection.close()
    assert response.status == 200, page[:500]
    cookie = response.getheader("Set-Cookie", "").split(";")[0]
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, page[:500]
    return OpenedForm(cookie, found.group(1))


def fill_in(opened: OpenedForm, program: Program, number: int) -> FilledForm:
    token = str(uuid.uuid4())
    experience = program.experiences.get()
    answers = [
        ("csrfmiddlewaretoken", opened.csrf_token),
        ("submission_token", token),
        ("first_name", f"Person {number}"),
        ("email", f"person.{number}@example.net"),
        ("phone", ""),
        ("contact_methods", ContactMethod.EMAIL),
        ("language", Language.ENGLISH),
        ("experience", str(experience.pk)),
        ("relationship", Relationship.SELF),
        ("since_year", "2021"),
        ("about", f"Request number {number} of the burst."),
        ("consent", "on"),
        ("website", ""),
    ]
    return FilledForm(token, opened.cookie, urllib.parse.urlencode(answers))


def send(
    server: WebServer, program: Program, form: FilledForm, start: threading.Barrier
) -> Outcome:
    connection = http.client.HTTPConnection(
        "127.0.0.1", urllib.parse.urlsplit(server.base).port, timeout=60
    )
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": form.cookie}
    start.wait()
    try:
        connection.request("POST", f"/ask/{program.slug}/", body=form.body, headers=headers)
        response = connection.getresponse()
        response.read()
        return Outcome(response.status, response.getheader("Location", ""))
    except OSError as error:  # a reset, a refused or dropped connection
        return Outcome(None, error=type(error).__name__)
    finally:
        connection.close()


# --- the workers' logs ------------------------------------------------------------------------


def tick_lines(workers: Workers) -> list[tuple[str, str, str]]:
    """(job, "runs" or not, tick) for every periodic task the workers took."""
    return [
        (job, "runs" if what == "runs" else "taken", tick)
        for job, what, tick in TICK_LINE.findall(workers.logs())
    ]


def both_schedulers_queued_each_every_minute_job(workers: Workers) -> bool:
    """For each job scheduled every minute, a tick found taken: both schedulers queued it. (Two
    workers started either side of a minute queue their first copies for different ticks;
    their next copies fall in one minute.)"""
    lines = tick_lines(workers)
    return all(
        (job, "taken") in {(name, what) for name, what, _tick in lines} for job in EVERY_MINUTE
    )


def queue_burst(program: Program) -> list[OutboxMessage]:
    messages = [
        OutboxMessage(
            program=program,
            channel=Channel.EMAIL,
            to_address=f"member.{number}@example.org",
            subject=BURST_SUBJECT,
            body="Your peer support group meets on Thursday at 7 pm.",
            idempotency_key=f"test.group.reminder:{number}",
        )
        for number in range(MESSAGES)
    ]
    with transaction.atomic():  # delivered by the workers once this commits
        return queue_messages(messages)


def test_two_app_servers_and_two_workers_lose_nothing_double_nothing_and_tick_once(
    workers: Workers,
    servers: list[WebServer],
    smtp: tuple[int, StallingSmtpHandler],
    program_a: Program,
) -> None:
    _port, mail_server = smtp
    workers.wait_for(
        lambda: all("consumer started" in workers.log(n).read_text() for n in range(2)),
        "the workers to start",
        90,
    )

    # 200 people send the form at once, half through each server; 20 of them twice, the second
    # time through the other server.
    opened = open_form(servers[0], program_a)
    forms = [fill_in(opened, program_a, number) for number in range(FORMS)]
    posts = [(servers[number % 2], form) for number, form in enumerate(forms)]
    posts += [(servers[(number + 1) % 2], forms[number]) for number in range(SENT_TWICE)]
    start = threading.Barrier(len(posts))
    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        outcomes = list(pool.map(lambda post: send(post[0], program_a, post[1], start), posts))

    received = f"/ask/{program_a.slug}/received/"
    assert Counter((o.status, o.location, o.error) for o in outcomes) == {
        (302, received, ""): FORMS + SENT_TWICE
    }
    recorded = SupportRequest.objects.filter(program=program_a)
    assert recorded.count() == FORMS
    assert {str(token) for token in recorded.values_list("submission_token", flat=True)} == {
        form.token for form in forms
    }

    # Both workers ran the scheduler: each job ran once a tick, its other copies found it taken.
    workers.wait_for(
        lambda: both_schedulers_queued_each_every_minute_job(workers),
        "both schedulers to queue the every-minute jobs for one tick",
        75,
    )
    lines = tick_lines(workers)
    runs = Counter((job, tick) for job, what, tick in lines if what == "runs")
    assert runs, lines
    assert set(runs.values()) == {1}, lines
    for job in EVERY_MINUTE:
        last = max(tick for name, _what, tick in lines if name == job)
        assert JobRun.objects.get(job=job).tick == dt.datetime.fromisoformat(last + "+00:00")
    assert last_heartbeat() is not None

    # A burst of 200 messages; one worker is killed once the mail server has some of them.
    burst = queue_burst(program_a)
    workers.wait_for(
        lambda: (
            sum(copy.subject == BURST_SUBJECT for copy in mail_server.received) >= MESSAGES // 4
        ),
        "the workers to be sending the burst",
        30,
    )
    killed = workers.started[0]
    workers.kill(killed)
    killed_at = timezone.now()

    def all_sent() -> bool:
        requeue_overdue_messages()  # the sweep, which runs every minute, as often as we like
        return (
            not OutboxMessage.objects.filter(pk__in=[message.pk for message in burst])
            .exclude(status=MessageStatus.SENT)
            .exists()
        )

    workers.wait_for(all_sent, "every message of the burst to be sent", 40)
    workers.wait_for(
        lambda: (last_heartbeat() or killed_at) > killed_at,
        "the worker left to beat the heartbeat",
        30,
    )

    sent = OutboxMessage.objects.filter(pk__in=[message.pk for message in burst])
    assert sent.count() == MESSAGES
    copies = Counter(
        copy.message_id for copy in mail_server.received if copy.subject == BURST_SUBJECT
    )
    assert set(copies) == {message_id_for(message) for message in sent}  # none lost
    # A message the killed worker had handed to the mail server as it died goes out once more,
    # under the same Message-ID: at most one a thread of the killed worker. None other twice.
    sent_again = {message_id: n for message_id, n in copies.items() if n > 1}
    assert set(sent_again.values()) <= {2}
    assert len(sent_again) <= WORKER_THREADS
    assert len(sent_again) <= sent.filter(attempts__gt=1).count()
    # No task failed in any worker, no request in either server.
    assert "Traceback" not in workers.logs()
    for server in servers:
        assert "Traceback" not in server.log.read_text()
