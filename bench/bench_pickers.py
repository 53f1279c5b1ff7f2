"""Pickers benchmark: how long a picker's search takes in a program of many supporters.

Run from the project folder:  .venv/bin/python bench/bench_pickers.py [--supporters 10000]
It builds, in a scratch SQLite database under var/ (or the database DATABASE_URL names, which it
empties first: never point it at one you keep), one program with that many supporters, then
times the search the request page's pickers send as a coordinator types (`Source.search` and the
results partial, as `answer_search` renders them), for a few texts, and counts its queries.
The data is made in bulk, not through the services: only names, sites and statuses matter here.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")
os.environ.setdefault(
    "DATABASE_URL",
    "sqlite:///" + str(Path(__file__).resolve().parent.parent / "var" / "bench_pickers.sqlite3"),
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.core.pickers import results_context  # noqa: E402
from alongside.matching.request_page import supporters_to_ask_about  # noqa: E402
from alongside.programs.models import Program, Site  # noqa: E402
from alongside.supporters.models import Supporter, SupporterStatus  # noqa: E402

FIRST = ["Alex", "Sam", "Robin", "Casey", "Jordan", "Priya", "Renee", "Kim", "Lee", "Maya"]
LAST = ["Martin", "Tremblay", "Roy", "Gagnon", "Singh", "Nguyen", "Smith", "Brown"]
TEXTS = ["a", "al", "alex", "alex mar", "zzz"]


def build(count: int) -> Program:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    program = Program.objects.create(
        slug="bench", name="Bench", country="CA", subdivision="ON", time_zone="America/Toronto"
    )
    sites = [Site.objects.create(program=program, name=f"Site {n}") for n in range(10)]
    users = User.objects.bulk_create(
        User(
            email=f"s{n}@bench.example",
            first_name=f"{FIRST[n % len(FIRST)]}{n // 100}",
            last_name=LAST[n % len(LAST)],
        )
        for n in range(count)
    )
    Supporter.objects.bulk_create(
        Supporter(
            program=program,
            user=user,
            site=sites[n % len(sites)],
            status=SupporterStatus.ACTIVE if n % 5 else SupporterStatus.ALUMNI,
        )
        for n, user in enumerate(users)
    )
    return program


def time_search(program: Program, text: str, repeat: int) -> tuple[float, float, int]:
    source = supporters_to_ask_about(program.pk)
    times = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            context = results_context(source, name="supporter", text=text, chosen="", base="b")
            render_to_string("core/_picker.html#results", context | {"oob": True})
            times.append(time.perf_counter() - start)
    ordered = sorted(times)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--supporters", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    program = build(args.supporters)
    print(f"{connection.vendor}, {args.supporters} supporters, {args.repeat} searches each")
    for text in TEXTS:
        median, p95, queries = time_search(program, text, args.repeat)
        print(
            f"  {text!r:12} median {median * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms  {queries} q"
        )


if __name__ == "__main__":
    main()
