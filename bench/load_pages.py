"""The coordinators' load run: 16 coordinators of the largest program walk their pages through
the production server (gunicorn, 2 worker processes) with the huey worker, on PostgreSQL and
Redis; per page p50 / p95 and errors, for the whole run and for the minute after a supporter
changes, and the queries each page takes.

Build the province once, in a database of its own, with the environment the run uses (the same
SECRET_KEY and ALONGSIDE_FIELD_KEYS, from .env or the environment: the data is encrypted):

    createdb -h 127.0.0.1 -U postgres alongside_province
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_province
    export ALONGSIDE_DEMO=true   # generate_province makes demo accounts only on a demo
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py generate_province            # about 3 minutes; ends with ANALYZE

Then run it (Redis on 127.0.0.1:6379; databases 7 and 8 by default):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_province \\
        .venv/bin/python bench/load_pages.py --duration 180

    # a quick look on a small province: --duration 40 --change-after 15

What it does, in order:
1. Reads the plan in this process (Django, the same environment): the largest program
   (province-01), its 16 coordinators (coordinator@, coordinator2@ … province.example), each
   given an authenticator app when they have none (staff must use one), and 200 waiting
   requests and 200 open matches to open.
2. Counts each page's queries once with Django's test client and CaptureQueriesContext, against
   the same database and cache (never through a header on the production server's answers).
3. Collects the static files (`manage.py collectstatic`, into var/static as `make static`
   does), starts gunicorn as the Procfile does (config/gunicorn.py; --workers processes,
   127.0.0.1:--port, DJANGO_DEBUG=false) and `manage.py run_huey`, with
   CACHE_URL=redis://127.0.0.1:6379/7 (Django's own RedisCache) and
   HUEY_REDIS_URL=redis://127.0.0.1:6379/8, and waits for /health/live.
4. Runs locust headless (bench/load/locustfile.py): each coordinator signs in (password, then
   their app's code) and walks the six pages in turn (or --pages), 1-2 s between pages
   (--think). Once the last has signed in and --warmup seconds have passed, --duration seconds
   are measured; --change-after seconds into them (half by default), one supporter of the
   program changes (their most matches at once, through supporters' update_profile, as a
   coordinator's edit does).
5. Stops the servers and reports: one JSON line per page and phase ("run": the measured
   seconds; "after change": the minute after the change), then a short table against the
   targets (p95 <= 150 ms, <= 15 queries, no errors). The servers' log and the samples stay in
   var/load_pages-*/.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from bench.load.report import report, summarise  # noqa: E402

LARGEST = "province-01"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=180, help="seconds of load (180)")
    parser.add_argument("--users", type=int, default=16, help="coordinators at once (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes (2)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--think", default="1-2", help="seconds between pages, as 'low-high'")
    parser.add_argument(
        "--warmup", type=int, default=10, help="seconds left out once everyone has signed in"
    )
    parser.add_argument(
        "--pages", default="", help="the pages walked, comma-separated (every page when empty)"
    )
    parser.add_argument("--change-after", type=int, default=None, help="(half the duration)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379", help="Redis, no database")
    parser.add_argument("--cache-db", type=int, default=7)
    parser.add_argument("--huey-db", type=int, default=8)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "load_pages.jsonl")
    return parser.parse_args()


def set_up_environment(args: argparse.Namespace) -> None:
    """What this process, the web server and the worker all read."""
    os.environ.update(
        {
            "CACHE_URL": f"{args.redis}/{args.cache_db}",
            "HUEY_REDIS_URL": f"{args.redis}/{args.huey_db}",
            "DJANGO_DEBUG": "false",
            "ALONGSIDE_HTTPS": "false",
            "SITE_URL": f"http://127.0.0.1:{args.port}",
        }
    )
    os.environ.pop("ALONGSIDE_TESTING", None)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("note: DATABASE_URL is not PostgreSQL; the run's figures are not the target's.")


# ---- 1. the plan ------------------------------------------------------------------------------


def plan(users: int) -> dict[str, object]:
    """The accounts the coordinators sign in with and the rows they open."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import decrypt

    from alongside.accounts.factories import give_authenticator_app
    from alongside.accounts.models import User
    from alongside.demo.province.programs import coordinator_email
    from alongside.demo.shared import DEMO_PASSWORD
    from alongside.intake.models import RequestStatus, SupportRequest
    from alongside.matches.models import OPEN_MATCH_STATUSES, Match
    from alongside.programs.models import Program

    program = Program.objects.get(slug=LARGEST)
    coordinators = []
    for number in range(1, users + 1):
        user = User.objects.get(email=coordinator_email(1, number))
        give_authenticator_app(user)
        app = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        coordinators.append({"email": user.email, "secret": decrypt(app.data["secret"])})
    requests = SupportRequest.objects.filter(program=program, status=RequestStatus.NEW)
    matches = Match.objects.filter(program=program, status__in=OPEN_MATCH_STATUSES)
    return {
        "program": program.pk,
        "password": DEMO_PASSWORD,
        "coordinators": coordinators,
        "requests": list(requests.order_by("due_at").values_list("pk", flat=True)[:200]),
        "matches": list(matches.order_by("-pk").values_list("pk", flat=True)[:200]),
    }


def addresses(the_plan: dict[str, object]) -> dict[str, str]:
    requests, matches = the_plan["requests"], the_plan["matches"]
    return {
        "request queue": "/requests/",
        "request page": f"/requests/{requests[0]}/",  # type: ignore[index]
        "follow-up queue": "/follow-up/",
        "match page": f"/matches/{matches[0]}/",  # type: ignore[index]
        "supporter board": "/supporters/board/",
        "proposals": "/matching/proposals/",
    }


# ---- 2. queries per page ------------------------------------------------------------------------


def queries_per_page(the_plan: dict[str, object]) -> dict[str, dict[str, float]]:
    """Each page read twice by the first coordinator: the second reading's queries and time."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from alongside.accounts.models import User

    coordinators = the_plan["coordinators"]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=coordinators[0]["email"]))  # type: ignore[index]
    counted = {}
    for page, address in addresses(the_plan).items():
        client.get(address)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            answer = client.get(address)
            elapsed = time.perf_counter() - started
        if answer.status_code != 200:
            raise SystemExit(f"{page} ({address}) answered {answer.status_code}.")
        counted[page] = {"queries": len(captured.captured_queries), "ms": round(elapsed * 1000, 1)}
    return counted


# ---- 3. the servers ------------------------------------------------------------------------------


def start_servers(args: argparse.Namespace, log: Path) -> list[subprocess.Popen[bytes]]:
    python = sys.executable
    web = [
        str(Path(python).with_name("gunicorn")),
        "--config=python:config.gunicorn",
        "config.wsgi",
        f"--workers={args.workers}",
        f"--bind=127.0.0.1:{args.port}",
        "--log-level=warning",
        "--access-logfile=/dev/null",  # no line per request: the samples time them
    ]
    worker = [python, "manage.py", "run_huey"]
    output = log.open("ab")
    collect = [python, "manage.py", "collectstatic", "--noinput", "--verbosity=0"]
    subprocess.run(collect, cwd=ROOT, stdout=output, stderr=output, check=True)
    processes = [
        subprocess.Popen(command, cwd=ROOT, stdout=output, stderr=output, start_new_session=True)
        for command in (web, worker)
    ]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            live = f"http://127.0.0.1:{args.port}/health/live"
            with urllib.request.urlopen(live, timeout=5) as up:
                if up.status == 200:
                    return processes
        except OSError:
            time.sleep(0.5)
    stop(processes)
    raise SystemExit(f"The web server did not answer /health/live within a minute: see {log}.")


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# ---- 4. the load, and the change in the middle of it -----------------------------------------------


def change_one_supporter(the_plan: dict[str, object]) -> dict[str, object]:
    """A coordinator changes how many matches an active supporter takes at once."""
    from alongside.accounts.models import User
    from alongside.supporters.models import Supporter, SupporterStatus
    from alongside.supporters.services.profile import update_profile

    supporter = (
        Supporter.objects.filter(program_id=the_plan["program"], status=SupporterStatus.ACTIVE)
        .order_by("pk")
        .first()
    )
    assert supporter is not None
    most = 3 if supporter.max_concurrent_matches != 3 else 2
    coordinator = User.objects.get(email=the_plan["coordinators"][0]["email"])  # type: ignore[index]
    started = time.perf_counter()
    update_profile(supporter=supporter, by=coordinator, changes={"max_concurrent_matches": most})
    return {"supporter": supporter.pk, "ms": round((time.perf_counter() - started) * 1000, 1)}


def run_load(
    args: argparse.Namespace, the_plan: dict[str, object], samples: Path, log: Path
) -> tuple[float, float, dict[str, object]]:
    """Locust until everyone has signed in, --warmup more seconds, then --duration measured
    seconds, with the supporter's change --change-after seconds into them; returns when the
    measured seconds began and when the supporter changed, and the change."""
    plan_file = samples.with_suffix(".plan.json")
    plan_file.write_text(json.dumps(the_plan))
    environment = os.environ | {
        "LOAD_PLAN": str(plan_file),
        "LOAD_SAMPLES": str(samples),
        "LOAD_THINK": args.think,
        "LOAD_PAGES": args.pages,
    }
    command = [
        str(Path(sys.executable).with_name("locust")),
        "--locustfile=bench/load/locustfile.py",
        "--headless",
        f"--users={args.users}",
        f"--spawn-rate={args.users}",
        f"--host=http://127.0.0.1:{args.port}",
        "--only-summary",
        "--loglevel=WARNING",
    ]
    output = log.open("ab")
    load = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
    try:
        measured_from = signed_in(samples, args.users, load) + args.warmup
        change_after = args.change_after if args.change_after is not None else args.duration // 2
        time.sleep(max(0.0, measured_from + change_after - time.time()))
        changed_at = time.time()
        change = change_one_supporter(the_plan)
        time.sleep(max(0.0, measured_from + args.duration - time.time()))
    finally:
        load.send_signal(signal.SIGTERM)  # locust stops its users and prints its summary
        load.wait(timeout=60)
    return measured_from, changed_at, change


def signed_in(samples: Path, users: int, load: subprocess.Popen[bytes]) -> float:
    """When the last of the coordinators had typed their code (read from the samples)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and load.poll() is None:
        rows = [json.loads(line) for line in samples.read_text().splitlines() if line.strip()]
        codes = [row for row in rows if row["page"] == "sign-in code" and row["ok"]]
        if len({row["t"] for row in codes}) >= users:
            return max(row["t"] + row["ms"] / 1000 for row in codes)
        time.sleep(0.5)
    raise SystemExit("The coordinators did not all sign in within five minutes: see the log.")


def main() -> None:
    args = arguments()
    set_up_environment(args)
    import django

    django.setup()
    the_plan = plan(args.users)
    counted = queries_per_page(the_plan)
    print("queries per page:", {page: figures["queries"] for page, figures in counted.items()})
    work = Path(tempfile.mkdtemp(prefix="load_pages-", dir=ROOT / "var"))
    samples, log = work / "samples.jsonl", work / "servers.log"
    samples.touch()
    processes = start_servers(args, log)
    try:
        measured_from, changed_at, change = run_load(args, the_plan, samples, log)
    finally:
        stop(processes)
    rows = [json.loads(line) for line in samples.read_text().splitlines() if line.strip()]
    phases = {
        "run": summarise(rows, measured_from, measured_from + args.duration),
        "after change": summarise(rows, changed_at, changed_at + 60),
    }
    context = {
        "users": args.users,
        "workers": args.workers,
        "duration_s": args.duration,
        "think_s": args.think,
        "change": change,
        "pages_walked": args.pages or "all",
        "database": os.environ.get("DATABASE_URL", "sqlite").split(":")[0],
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(measured_from)),
        "log": str(log),
    }
    report(args, counted, phases, context)


if __name__ == "__main__":
    main()
