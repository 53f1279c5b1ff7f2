"""What the coordinators' load run reports (bench/load_pages.py): per page and phase, p50, p95
and errors, as JSON lines and a short table against the targets."""

import argparse
import json
import statistics
from collections import defaultdict

PAGES = (
    "request queue",
    "request page",
    "follow-up queue",
    "match page",
    "supporter board",
    "proposals",
)
TARGET_P95_MS = 150
TARGET_QUERIES = 15


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


def summarise(samples: list[dict[str, object]], since: float, until: float) -> dict[str, dict]:
    """Per page, the answers that started in [since, until): count, p50, p95, errors."""
    by_page: dict[str, list[dict[str, object]]] = defaultdict(list)
    for sample in samples:
        if since <= sample["t"] < until:  # type: ignore[operator]
            by_page[str(sample["page"])].append(sample)
    summary = {}
    for page in PAGES:
        rows = by_page.get(page, [])
        times = [float(row["ms"]) for row in rows]  # type: ignore[arg-type]
        summary[page] = {
            "count": len(rows),
            "p50_ms": round(statistics.median(times), 1) if times else None,
            "p95_ms": round(percentile(times, 0.95), 1) if times else None,
            "errors": sum(1 for row in rows if not row["ok"]),
        }
    return summary


def report(
    args: argparse.Namespace,
    counted: dict[str, dict[str, float]],
    phases: dict[str, dict[str, dict]],
    context: dict[str, object],
) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as out:
        for phase, summary in phases.items():
            for page, figures in summary.items():
                line = {"page": page, "phase": phase, **figures, **counted[page], **context}
                out.write(json.dumps(line) + "\n")
    print(
        f"\n{'page':<17} {'queries':>7} {'alone ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}"
        f"   minute after the change: {'p95 ms':>8} {'errors':>6}  meets targets"
    )
    run, after = phases["run"], phases["after change"]
    for page in PAGES:
        queries = int(counted[page]["queries"])
        good = (
            run[page]["count"] > 0
            and after[page]["count"] > 0
            and queries <= TARGET_QUERIES
            and all((phase[page]["p95_ms"] or 0) <= TARGET_P95_MS for phase in (run, after))
            and run[page]["errors"] == after[page]["errors"] == 0
        )
        print(
            f"{page:<17} {queries:>7} {counted[page]['ms']:>8} {run[page]['p50_ms'] or '-':>8}"
            f" {run[page]['p95_ms'] or '-':>8} {run[page]['errors']:>6}"
            f"{'':>29}{after[page]['p95_ms'] or '-':>8} {after[page]['errors']:>6}"
            f"  {'yes' if good else 'NO' if run[page]['count'] else 'not walked'}"
        )
    print(
        f"(alone: one coordinator, no load, through the test client. Targets: p95 <= "
        f"{TARGET_P95_MS} ms, <= {TARGET_QUERIES} queries, no errors. JSON lines in {args.out})"
    )
