"""What health adds to /health/metrics at each scrape: readiness, check by check, and how many
tasks wait in the queue (docs/adr/0011)."""

from collections.abc import Iterator

from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from alongside.health.readiness import readiness


def readiness_and_queue() -> Iterator[Metric]:
    report = readiness()
    checks = GaugeMetricFamily(
        "alongside_ready_check",
        "1 when the /health/ready check passes, 0 when it fails.",
        labels=["check"],
    )
    for check in report.checks:
        checks.add_metric([check.name], 1 if check.ok else 0)
    yield checks
    yield GaugeMetricFamily(
        "alongside_ready", "1 when every /health/ready check passes.", value=1 if report.ok else 0
    )
    # From the queue check, so a queue that does not answer fails that check, not the scrape.
    queue = next(check for check in report.checks if check.name == "queue")
    waiting = queue.details.get("waiting")
    if isinstance(waiting, int) and not isinstance(waiting, bool):
        yield GaugeMetricFamily(
            "alongside_queue_waiting", "Tasks waiting in the queue for a worker.", value=waiting
        )
