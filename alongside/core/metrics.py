"""What /health/metrics shows Prometheus (docs/adr/0011).

Two kinds of numbers. The requests' latency is counted by each web process as it answers
(`record_request`); with several gunicorn workers each writes its own file under
ALONGSIDE_METRICS_DIR (prometheus-client's multiprocess mode) and a scrape adds them up. What
the database or the queue holds (the outbox's messages by state, the queue's depth, the periodic
jobs' last runs, readiness) is read when Prometheus asks, by the app that owns it: each
registers a collector here from its AppConfig.ready (`on_scrape`), so core, which knows no
domain, shows them all, and every process answers the same.

Labels are bounded: a request is labelled with its view's URL name (never its path, which may
carry an id), its method (the usual ones or "other") and its status class.
"""

import logging
from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Histogram, generate_latest
from prometheus_client.metrics_core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from alongside.core.hooks import Registry

logger = logging.getLogger(__name__)

# A collector run at each scrape: it reads what it counts and yields metric families.
ScrapeCollector = Callable[[], Iterable[Metric]]
scrape_collectors: Registry[ScrapeCollector] = Registry()

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNRESOLVED = "unresolved"  # static files, a 404 outside our URLs, a redirect before routing

# Not registered in prometheus-client's global registry: each scrape builds its own registry,
# with this histogram in one process, or with the files of every process in multiprocess mode.
REQUEST_SECONDS = Histogram(
    "alongside_request_seconds",
    "Time to answer a request, by view, method and status class.",
    ["view", "method", "status"],
    registry=None,
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
)


def on_scrape(collector: ScrapeCollector) -> None:
    """Have `collector` read its numbers at each scrape (call it from AppConfig.ready)."""
    scrape_collectors.add(collector)


def record_request(*, view: str | None, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(
        view=view or UNRESOLVED,
        method=method if method in METHODS else "other",
        status=f"{status // 100}xx",
    ).observe(seconds)


class _AtScrape(Collector):
    """Every registered collector, each on its own: one that fails is reported as down and
    the others still answer."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily(
            "alongside_metrics_collector_up",
            "1 when the collector read its numbers at this scrape, 0 when it failed.",
            labels=["collector"],
        )
        for collector in scrape_collectors:
            name = f"{collector.__module__}.{collector.__qualname__}"
            try:
                families = list(collector())
            except Exception as error:  # the scrape still answers with the others
                logger.warning("The metrics collector %s failed: %s", name, type(error).__name__)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


class _ThisProcess(Collector):
    def collect(self) -> Iterable[Metric]:
        return REQUEST_SECONDS.collect()


def exposition(*, directory: str = "") -> bytes:
    """The metrics in Prometheus' text format: the requests of every process writing under
    `directory` (multiprocess mode) or of this one, then what the apps read now."""
    registry = CollectorRegistry(auto_describe=False)
    if directory:
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_ThisProcess())
    registry.register(_AtScrape())
    return generate_latest(registry)
