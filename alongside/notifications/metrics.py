"""What notifications adds to /health/metrics at each scrape: the outbox's messages by state,
read from the table when Prometheus asks (docs/adr/0011)."""

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from alongside.notifications.models import MessageStatus, OutboxMessage


def outbox_by_state() -> Iterator[Metric]:
    """One GROUP BY; every state is shown, 0 when it has no message."""
    counts = dict(
        OutboxMessage.objects.order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    messages = GaugeMetricFamily(
        "alongside_outbox_messages", "Messages in the outbox, by state.", labels=["state"]
    )
    for status in MessageStatus:
        messages.add_metric([status.value], counts.get(status.value, 0))
    yield messages
