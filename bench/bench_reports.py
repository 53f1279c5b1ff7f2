"""Insight benchmark: the coordinator's dashboard, every list page with each of its sorts and
filters, and the full-year funder PDF, at the insight issue's size; beside a naive dashboard
measured in the same run.

Build the insight data set once, in a database of its own, with the environment the run uses
(the same SECRET_KEY and ALONGSIDE_FIELD_KEYS, from .env or the environment: the data is
encrypted):

    createdb -h 127.0.0.1 -U postgres alongside_insight
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_insight
    export ALONGSIDE_DEMO=true   # generate_province makes demo accounts only on a demo
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py createcachetable
    .venv/bin/python manage.py collectstatic --noinput   # the pages name the hashed files
    .venv/bin/python manage.py generate_province --size insight   # a few minutes; ends with ANALYZE

Then run it (in-process, through Django's test client, signed in as the largest program's
coordinator, coordinator@province.example):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_insight \\
        .venv/bin/python bench/bench_reports.py --runs 30
    # the dashboard alone, beside the naive one: --only dashboard,naive

    # a quick look on a small generated world (any DATABASE_URL):
    .venv/bin/python manage.py generate_province --size insight --supporters 600 --largest 200 \\
        --waiting 40 --open-matches 150 --contacts 600 --proposals 10 --requests 900 \\
        --hours-reports 1200
    .venv/bin/python bench/bench_reports.py --runs 5

It first counts any program's contacts by day that are not counted yet (the periodic job
`count_contact_days`, as the worker runs it), then measures, each page read once to warm up,
then --runs times (p50 / p95 in ms, and the queries of one reading):
- the dashboard (`reports:dashboard`) for each period (`?period=`, the choices of
  reports/periods.py; those its page offers while there are none; --periods overrides);
- every list page (request queue, supporters, matches, proposals, follow-up, escalations,
  resources, groups): plain, then each sort and each filter the page itself offers (its sort
  links and the choices of its filter form, read from the page), page 2, and a search;
- the funder report of the largest program for the last twelve months as a PDF
  (`reports:funder_pdf`, --funder-query overrides the query string);
- the naive dashboard (naive_* in this file): the same figures by loading the rows and counting in
  Python (each list of rows in one query, none per row: no N+1), for the same program and
  periods, --naive-runs times, with the ratio of its p50 to the dashboard's (the naive time
  counts the figures only, the dashboard's its whole page: the ratio errs in the naive's favour).
A page whose URL does not resolve yet is reported as "not built yet" and the run goes on.
Targets (the insight issue): dashboard p95 <= 150 ms and <= 15 queries, every list page p95 <=
150 ms, the full-year funder PDF <= 5 s. Results go to stdout and, as JSON lines, to --out.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.intake.models import RequestStatus, SupportRequest  # noqa: E402
from alongside.matches.models import ContactLog, HoursReport, Match, MatchStatus  # noqa: E402
from alongside.outcomes.models import Occasion, Survey  # noqa: E402
from alongside.programs.models import Program  # noqa: E402
from alongside.safety.models import Escalation  # noqa: E402
from alongside.supporters.models import (  # noqa: E402
    DebriefRequest,
    StepRecord,
    Supporter,
    SupporterStatus,
)
from alongside.supporters.queries import burnout_signals_of  # noqa: E402

LARGEST = "province-01"
# Each list page: its URL names (the first that resolves), and the names its list definition
# (core/lists.py) may have.
LISTS = {
    "request queue": (("intake:queue",), ("requests", "request_queue")),
    "supporters": (("matches:supporters", "supporters:list"), ("supporters",)),
    "supporter board": (("supporters:board",), ("board", "supporter_board")),
    "matches": (("matches:list",), ("matches",)),
    "proposals": (("matching:proposals",), ("proposals",)),
    # The follow-up queue answers with a redirect to its first tab: each tab is a list.
    "follow-up hours": (("matches:follow_up_hours",), ("missing_hours_reports",)),
    "follow-up silent": (("matches:follow_up_silent",), ("silent_matches",)),
    "follow-up check-ins": (("matches:follow_up_checkins",), ("checkins_due",)),
    "follow-up asked": (("matches:follow_up_asked",), ("follow_ups_due",)),
    "escalations": (("safety:escalation_list",), ("escalations",)),
    "resources": (("resources:directory",), ("resources",)),
    "groups": (("groups:list",), ("groups", "sessions")),
}
CHOICES_PER_FILTER = 12
SORT_KEYS = ("sort", "order", "ordering", "o")
SEARCH_KEYS = ("q", "search")
MAX_VARIANTS = 60
# The naive dashboard's "at risk": due within a day.
AT_RISK = dt.timedelta(hours=24)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30, help="timed readings of each page (30)")
    parser.add_argument(
        "--naive-runs", type=int, default=5, help="timed runs of the naive dashboard (5)"
    )
    parser.add_argument("--periods", default="", help="dashboard periods, comma-separated")
    parser.add_argument("--funder-query", default="", help="the funder PDF's query string")
    parser.add_argument(
        "--only",
        default="",
        help="measure only these, comma-separated: dashboard, lists, funder, naive (all)",
    )
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench_reports.jsonl")
    return parser.parse_args()


def resolve(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def measure(client: Client, address: str, runs: int) -> dict[str, Any]:
    """One reading to warm up, one counted, then `runs` timed: status, queries, p50 and p95."""
    client.get(address)
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(address)
    queries = len(captured.captured_queries)  # now: the next page's start resets the log
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(address)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "status": answer.status_code,
        "type": answer.get("Content-Type", ""),
        "queries": queries,
        **percentiles(timings),
    }


def percentiles(timings: list[float]) -> dict[str, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1)}


class Offered(HTMLParser):
    """What a list page offers: its sort links, its filter form's choices, a search box."""

    def __init__(self) -> None:
        super().__init__()
        self.sorts: list[str] = []
        self.filters: list[tuple[str, str]] = []
        self.search = ""
        self._select = ""
        self.periods: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key: value or "" for key, value in attrs}
        if tag == "a" and "?" in found.get("href", ""):
            query = urlsplit(found["href"]).query
            if any(key in SORT_KEYS for key, _value in parse_qsl(query)):
                self.sorts.append(query)
        elif tag == "select":
            self._select = found.get("name", "")
        elif tag == "option" and self._select and found.get("value"):
            self.filters.append((self._select, found["value"]))
        elif tag == "input" and found.get("name") in SEARCH_KEYS:
            self.search = found["name"]
        elif tag == "input" and found.get("type") == "radio" and found.get("name") == "period":
            self.periods.append(found.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = ""


def offered(client: Client, address: str) -> Offered:
    page = Offered()
    page.feed(client.get(address).content.decode(errors="replace"))
    return page


def list_definitions() -> dict[str, Any]:
    """Every list definition the pages use (core/lists.py), by its name: those of the modules
    loaded once the URLs are (the views import their lists)."""
    from alongside.core.lists import ListDefinition

    resolve("home")  # loads the URLs, hence every view and its list
    found = {}
    for name, module in list(sys.modules.items()):
        if name.startswith("alongside.") and module is not None:
            found.update(
                {
                    value.name: value
                    for value in vars(module).values()
                    if isinstance(value, ListDefinition)
                }
            )
    return found


def defined_variants(definition: Any, user: Any, address: str) -> list[tuple[str, str]]:
    """The list plain, by each sortable column both ways, by each choice of each filter (the
    user's own choices), searched, at each page size, and its page 2."""
    from django.http import QueryDict

    from alongside.core.lists import PAGE_SIZES

    def at(**params: str) -> str:
        return f"{address}?{urlencode(params)}"

    found = [("plain", address)]
    for column in definition.columns:
        if column.sortable:
            found += [(f"sort {key}", at(sort=key)) for key in (column.key, f"-{column.key}")]
    filters = definition.filters(QueryDict(), definition.scoped(user), user=user)
    for name, form_field in filters.form.fields.items():
        choices = [str(value) for value, _label in getattr(form_field, "choices", [])]
        found += [
            (f"filter {name}={value}", at(**{name: value}))
            for value in [value for value in choices if value][:CHOICES_PER_FILTER]
        ]
    if definition.search is not None:
        found.append(("search", at(q="an")))
    found += [(f"{size} a page", at(per_page=str(size))) for size in PAGE_SIZES]
    return [*found, ("page 2", at(page="2"))]


def variants(client: Client, address: str) -> list[tuple[str, str]]:
    """For a page without a list definition: the page plain, with each sort link and filter
    choice its HTML offers, page 2 and a search."""
    page = offered(client, address)
    found = [("plain", address)]
    found += [(f"sort {query}", f"{address}?{query}") for query in dict.fromkeys(page.sorts)]
    found += [
        (f"filter {name}={value}", f"{address}?{urlencode({name: value})}")
        for name, value in dict.fromkeys(page.filters)
        if name not in ("period", "per_page", "page_size")
    ]
    found += [
        (f"page size {value}", f"{address}?{urlencode({name: value})}")
        for name, value in page.filters
        if name in ("per_page", "page_size")
    ]
    found.append(("page 2", f"{address}?page=2"))
    if page.search:
        found.append(("search", f"{address}?{urlencode({page.search: 'an'})}"))
    return found[:MAX_VARIANTS]


def report(out: Any, what: str, variant: str, result: dict[str, Any], target_ms: float) -> None:
    out.write(json.dumps({"page": what, "variant": variant, **result}) + "\n")
    late = "" if result.get("p95", 0) <= target_ms else f"  (over {target_ms:.0f} ms)"
    print(
        f"  {what:16} {variant[:44]:44} {result.get('status', '-'):>4} "
        f"{result.get('queries', '-'):>4} q  p50 {result.get('p50', 0):8.1f}  "
        f"p95 {result.get('p95', 0):8.1f} ms{late}"
    )


def signed_in_client() -> tuple[Client, Any, Any]:
    from alongside.accounts.factories import give_authenticator_app
    from alongside.accounts.models import User
    from alongside.demo.province.programs import coordinator_email
    from alongside.programs.models import Program

    user = User.objects.get(email=coordinator_email(1, 1))
    give_authenticator_app(user)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client, user, Program.objects.get(slug=LARGEST)


def bench_dashboard(
    client: Client, program: Any, args: argparse.Namespace, out: Any
) -> dict[str, float]:
    """The largest program's dashboard for each period; each p50, for the naive one's ratio."""
    address = resolve("reports:dashboard")
    if address is None:
        print("  dashboard: not built yet")
        return {}
    page = offered(client, address)
    offered_periods = page.periods or [value for name, value in page.filters if name == "period"]
    medians = {}
    try:
        from alongside.reports.periods import PeriodChoice

        known = list(PeriodChoice.values)
    except ImportError:
        known = []
    for period in chosen_periods(args) or known or offered_periods or [""]:
        asked = {"program": program.pk, **({"period": period} if period else {})}
        where = f"{address}?{urlencode(asked)}"
        result = measure(client, where, args.runs)
        report(out, "dashboard", period or "(default)", result, 150)
        medians[period] = result["p50"]
    return medians


def bench_lists(client: Client, user: Any, args: argparse.Namespace, out: Any) -> None:
    """Each list page with every sort and filter its definition has (what its HTML offers for
    a page without one yet)."""
    definitions = list_definitions()
    for what, (names, aliases) in LISTS.items():
        address = next((found for name in names if (found := resolve(name))), None)
        if address is None:
            print(f"  {what}: not built yet")
            continue
        definition = next((definitions[alias] for alias in aliases if alias in definitions), None)
        found = (
            defined_variants(definition, user, address)
            if definition is not None
            else variants(client, address)
        )
        for variant, where in found:
            report(out, what, variant, measure(client, where, args.runs), 150)


def chosen_periods(args: argparse.Namespace) -> list[str]:
    return [period for period in args.periods.split(",") if period]


def periods_of(
    program: Any, args: argparse.Namespace
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """The dashboard's periods (reports/periods.py), each as its first and last moment in the
    program's zone; the last 30, 91 and 365 days while there are none."""
    now = timezone.now()
    try:
        from alongside.reports.periods import Period, PeriodChoice
    except ImportError:
        days = {"last 30 days": 30, "last 91 days": 91, "last 365 days": 365}
        return {name: (now - dt.timedelta(days=count), now) for name, count in days.items()}
    zone, today = program.calendar.zone, program.calendar.today()
    chosen = chosen_periods(args) or list(PeriodChoice.values)
    found = {}
    for choice in chosen:
        period = Period.of(PeriodChoice(choice), today)
        start = dt.datetime.combine(period.start, dt.time(0), tzinfo=zone)
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        found[choice] = (start, min(end, now))
    return found


def bench_funder(client: Client, program: Any, args: argparse.Namespace, out: Any) -> None:
    """The funder report of the largest program for the last twelve months, as a PDF."""
    address = resolve("reports:funder_pdf")
    if address is None:
        print("  funder report: not built yet")
        return
    query = args.funder_query or urlencode({"program": program.pk, "period": "last_12_months"})
    result = measure(client, f"{address}?{query}", max(3, args.runs // 5))
    if "pdf" not in result["type"]:
        print(f"  funder report answered {result['type']!r}: pass --funder-query")
    report(out, "funder PDF", query, result, 5000)


def bench_naive(
    program: Any, medians: dict[str, float], args: argparse.Namespace, out: Any
) -> None:
    """The naive dashboard on the same data, each period, with the ratio to the dashboard's."""
    for period, (start, end) in periods_of(program, args).items():
        timings, queries = [], 0
        for run in range(args.naive_runs):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                naive_dashboard(program, start, end)
                timings.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries) if run == 0 else queries
        result: dict[str, Any] = {"status": "-", "queries": queries, **percentiles(timings)}
        matching = medians.get(period)
        if matching:
            result["ratio"] = round(result["p50"] / matching, 1)
        report(out, "naive dashboard", period, result, float("inf"))
        if "ratio" in result:
            print(f"    naive / dashboard ({period}): {result['ratio']}x")


# ---- the naive dashboard: load the rows, count in Python (never used by the app) ------------


def naive_dashboard(program: Program, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    """Every figure of the dashboard for the program from `start` to `end` (now, or before)."""
    return {
        "waiting": naive_waiting_by_sla(program, timezone.now()),
        "time_to_match": naive_time_to_match(program, start, end),
        "activity": naive_activity_by_month(program, start, end),
        "pipeline": naive_pipeline(program),
        "retention": naive_retention(program, start, end),
        "burnout": naive_burnout(program),
        "escalations": naive_escalations(program, start, end),
        "outcomes": naive_outcomes(program, start, end),
    }


def naive_waiting_by_sla(program: Program, now: dt.datetime) -> Counter[str]:
    states: Counter[str] = Counter()
    for request_ in SupportRequest.objects.filter(program=program, status=RequestStatus.NEW):
        if request_.due_at < now:
            states["overdue"] += 1
        elif request_.due_at - now < AT_RISK:
            states["at risk"] += 1
        else:
            states["on time"] += 1
    return states


def naive_time_to_match(program: Program, start: dt.datetime, end: dt.datetime) -> dict[str, float]:
    waits, within = [], 0
    matches = Match.objects.filter(program=program, started_at__gte=start, started_at__lt=end)
    for match in matches.select_related("request"):
        request_ = match.request
        waits.append((match.started_at - request_.received_at).total_seconds() / 86400)
        within += match.started_at <= request_.due_at
    if not waits:
        return {}
    waits.sort()
    return {
        "median_days": statistics.median(waits),
        "p90_days": waits[int(0.9 * (len(waits) - 1))],
        "share_within": within / len(waits),
    }


def naive_activity_by_month(
    program: Program, start: dt.datetime, end: dt.datetime
) -> dict[str, Any]:
    contacts: Counter[str] = Counter()
    for contact in ContactLog.objects.filter(
        match__program=program, occurred_at__gte=start, occurred_at__lt=end
    ):
        contacts[f"{contact.occurred_at:%Y-%m}"] += 1
    minutes: Counter[str] = Counter()
    for report in HoursReport.objects.filter(
        program=program, month__gte=start.date(), month__lt=end.date()
    ):
        minutes[f"{report.month:%Y-%m}"] += report.confirmed_minutes or report.logged_minutes
    active: Counter[str] = Counter()
    for match in Match.objects.filter(program=program):
        if match.started_at < end and (match.closed_at is None or match.closed_at >= start):
            active[f"{max(match.started_at, start):%Y-%m}"] += 1
    return {"contacts": contacts, "hours": {k: v / 60 for k, v in minutes.items()}, "open": active}


def naive_pipeline(program: Program) -> dict[str, Any]:
    by_status: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for supporter in Supporter.objects.filter(program=program):
        by_status[supporter.status] += 1
    records = StepRecord.objects.filter(
        supporter__program=program, supporter__status=SupporterStatus.SCREENING
    )
    for record in records.select_related("step"):
        passed[record.step.name] += 1
    matched = {match.supporter_id for match in Match.objects.filter(program=program).open()}
    return {"statuses": by_status, "steps": passed, "matched": len(matched)}


def naive_retention(program: Program, start: dt.datetime, end: dt.datetime) -> dict[str, Any]:
    left: dict[str, Counter[str]] = defaultdict(Counter)
    for supporter in Supporter.objects.filter(program=program):
        gone = supporter.status in (SupporterStatus.ALUMNI, SupporterStatus.WITHDRAWN)
        changed = supporter.status_changed_at
        if gone and changed and start <= changed < end:
            left[supporter.status][supporter.status_reason] += 1  # decrypted, one by one
    return dict(left)


def naive_burnout(program: Program) -> dict[str, int]:
    active = list(Supporter.objects.filter(program=program, status=SupporterStatus.ACTIVE))
    signals = burnout_signals_of(active, program.calendar.today())
    debriefs = DebriefRequest.objects.filter(supporter__program=program, answered_at__isnull=True)
    return {
        "with_signals": sum(bool(found) for found in signals.values()),
        "open_debriefs": len(debriefs),
    }


def naive_escalations(program: Program, start: dt.datetime, end: dt.datetime) -> dict[str, float]:
    hours = [
        (escalation.acknowledged_at - escalation.created_at).total_seconds() / 3600
        for escalation in Escalation.objects.filter(
            program=program, created_at__gte=start, created_at__lt=end
        )
        if escalation.acknowledged_at is not None
    ]
    return {"count": len(hours), "median_hours": statistics.median(hours) if hours else 0.0}


def naive_outcomes(program: Program, start: dt.datetime, end: dt.datetime) -> dict[str, float]:
    scores: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    sent: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    closed = Match.objects.filter(
        program=program, status=MatchStatus.CLOSED, closed_at__gte=start, closed_at__lt=end
    )
    for survey in Survey.objects.filter(match__in=closed):
        sent[survey.occasion] += 1
        if survey.score is not None:
            answered[survey.occasion] += 1
            scores[(survey.match_id, survey.instrument_id)][survey.occasion] = float(survey.score)
    changes = [
        pair[Occasion.CLOSURE] - pair[Occasion.START]
        for pair in scores.values()
        if Occasion.START in pair and Occasion.CLOSURE in pair
    ]
    return {
        "mean_change": statistics.fmean(changes) if changes else 0.0,
        "response_start": answered[Occasion.START] / max(1, sent[Occasion.START]),
        "response_closure": answered[Occasion.CLOSURE] / max(1, sent[Occasion.CLOSURE]),
    }


def keep_the_connection() -> None:
    """One connection for the whole run, as production keeps one (CONN_MAX_AGE): without this,
    SQLite's settings close it after every page, which loses the page's queries from the count
    and times a reconnection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


def count_contacts_first() -> None:
    """The dashboard reads each program's contacts counted by day (reports/contact_days.py), as
    the worker's periodic job leaves them within ten minutes of a deploy or a bulk load (the
    province generator writes contacts in bulk, uncounted): count any program not counted yet."""
    try:
        from alongside.reports.jobs import count_contact_days
    except ImportError:  # a version without the counts
        return
    from django.test.utils import override_settings

    from alongside.periodic.runner import run_job

    started = time.perf_counter()
    with override_settings(PERIODIC_RUN_SECONDS=None):
        summary = run_job(count_contact_days)
    if summary.changed:
        seconds = time.perf_counter() - started
        print(f"Counted the contacts of {summary.changed} programs by day first ({seconds:.1f} s).")


def main() -> None:
    args = arguments()
    keep_the_connection()
    if connection.vendor != "postgresql":
        print("note: the database is not PostgreSQL; the figures are not the target's.")
    count_contacts_first()
    client, user, program = signed_in_client()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as out:
        print(f"{program.name}, {args.runs} runs each: page, variant, status, queries, p50, p95")
        only = {part for part in args.only.split(",") if part}
        medians = (
            bench_dashboard(client, program, args, out) if not only or "dashboard" in only else {}
        )
        if not only or "lists" in only:
            bench_lists(client, user, args, out)
        if not only or "funder" in only:
            bench_funder(client, program, args, out)
        if not only or "naive" in only:
            bench_naive(program, medians, args, out)
    print(f"JSON lines in {args.out}")


if __name__ == "__main__":
    main()
