"""API benchmark: the API's lists and a few of its records at the insight issue's size, read
with a token of the largest program's coordinator, beside the pages that show the same rows
(the peer), measured in the same run.

Build the insight data set first (bench/bench_reports.py says how), then:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_insight ALONGSIDE_DEMO=true \\
        .venv/bin/python bench/bench_api.py --runs 30

Each address is read once to warm up, once to count its queries, then `--runs` times.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.bench_reports import keep_the_connection, measure, signed_in_client  # noqa: E402

# The API's address and the page that shows the same rows to the same person.
PAIRS = (
    ("waiting requests", "/api/v1/requests/waiting?limit=50", "intake:queue"),
    ("supporters", "/api/v1/supporters/?limit=50", "matches:supporters"),
    ("matches", "/api/v1/matches/?limit=50", "matches:list"),
    ("escalations", "/api/v1/escalations/?limit=50", "safety:escalation_list"),
    ("hours reports", "/api/v1/hours-reports/?limit=50", "matches:follow_up_hours"),
    ("group sessions", "/api/v1/group-sessions/?limit=50", "groups:list"),
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    return parser.parse_args()


def token_client(user: object, program: object) -> Client:
    """A client that sends a token of `program` made by `user`, with every read scope."""
    from alongside.api.models import Scope
    from alongside.api.tokens import issue_token

    _token, raw = issue_token(
        program=program,  # type: ignore[arg-type]
        created_by=user,  # type: ignore[arg-type]
        name="Benchmark",
        scopes=[scope.value for scope in Scope if scope.value.startswith("read:")],
        expires_on=timezone.localdate() + dt.timedelta(days=1),
    )
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {raw}")


def line(what: str, side: str, result: dict[str, float]) -> str:
    return (
        f"  {what:17} {side:5} {result['status']:>4} {result['queries']:>4} q  "
        f"p50 {result['p50']:7.1f}  p95 {result['p95']:7.1f} ms"
    )


def main() -> None:
    args = arguments()
    keep_the_connection()
    pages, user, program = signed_in_client()
    api = token_client(user, program)
    # The rate limit counts every call; a benchmark makes more than a partner may.
    from django.test.utils import override_settings

    with override_settings(API_TOKEN_RATE_LIMIT=1_000_000):
        print(f"{program.name}, {args.runs} runs each: what, side, status, queries, p50, p95")
        for what, address, page in PAIRS:
            print(line(what, "api", measure(api, address, args.runs)))
            print(line(what, "page", measure(pages, reverse(page), args.runs)))
        first = api.get("/api/v1/matches/?limit=1").json()["items"][0]["id"]
        for what, address in (
            ("one match", f"/api/v1/matches/{first}"),
            ("its contacts", f"/api/v1/matches/{first}/contacts?limit=50"),
        ):
            print(line(what, "api", measure(api, address, args.runs)))
        print(line("the match page", "page", measure(pages, f"/matches/{first}/", args.runs)))


if __name__ == "__main__":
    main()
