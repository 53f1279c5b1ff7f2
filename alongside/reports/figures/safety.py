"""Escalations: how many were raised, how fast they were acknowledged, and how many are open.

An urgent escalation must be acknowledged within its program's `acknowledge_within_minutes`;
"within target" counts those acknowledged by then.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, F, Q

from alongside.programs.models import Program
from alongside.reports.figures.scope import any_of, as_list, counted, in_period
from alongside.reports.periods import Period
from alongside.safety.models import OPEN_ESCALATION_STATUSES, Escalation, Urgency

# Acknowledgement times are counted into these bands (upper bounds), then "later".
ACKNOWLEDGED_WITHIN = (
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=4),
    dt.timedelta(days=1),
)


@dataclass(frozen=True)
class Escalations:
    raised: int
    urgent: int
    acknowledged: int
    urgent_within_target: int  # urgent ones acknowledged within their program's minutes
    # (upper bound, escalations acknowledged within it and not within the band before)
    acknowledged_by_band: tuple[tuple[dt.timedelta, int], ...]
    acknowledged_later: int
    open_now: int  # all open escalations, whenever raised
    waiting_now: int  # raised and not yet acknowledged

    @property
    def share_urgent_within_target(self) -> float | None:
        return self.urgent_within_target / self.urgent if self.urgent else None


def escalations(*, programs: Iterable[Program], period: Period) -> Escalations:
    """Escalations raised in the period and their acknowledgement times, and open now (one
    query)."""
    chosen = as_list(programs)
    by_target: dict[int, list[int]] = defaultdict(list)
    for program in chosen:
        by_target[program.acknowledge_within_minutes].append(program.pk)
    within_target = any_of(
        [
            Q(
                program_id__in=ids,
                acknowledged_at__lte=F("created_at") + dt.timedelta(minutes=minutes),
            )
            for minutes, ids in by_target.items()
        ]
    )
    raised = in_period("created_at", chosen, period)
    acknowledged = raised & Q(acknowledged_at__isnull=False)
    bands = {
        f"band{index}": Count(
            "pk", filter=acknowledged & Q(acknowledged_at__lte=F("created_at") + limit)
        )
        for index, limit in enumerate(ACKNOWLEDGED_WITHIN)
    }
    counts = counted(
        Escalation.objects.filter(program__in=chosen),
        raised=Count("pk", filter=raised),
        urgent=Count("pk", filter=raised & Q(urgency=Urgency.URGENT)),
        acknowledged=Count("pk", filter=acknowledged),
        urgent_within_target=Count(
            "pk", filter=acknowledged & Q(urgency=Urgency.URGENT) & within_target
        ),
        open_now=Count("pk", filter=Q(status__in=OPEN_ESCALATION_STATUSES)),
        waiting_now=Count("pk", filter=Q(acknowledged_at__isnull=True, resolved_at__isnull=True)),
        **bands,
    )
    cumulative = [counts[f"band{index}"] for index in range(len(ACKNOWLEDGED_WITHIN))]
    return Escalations(
        raised=counts["raised"],
        urgent=counts["urgent"],
        acknowledged=counts["acknowledged"],
        urgent_within_target=counts["urgent_within_target"],
        acknowledged_by_band=tuple(
            (limit, count - (cumulative[index - 1] if index else 0))
            for index, (limit, count) in enumerate(
                zip(ACKNOWLEDGED_WITHIN, cumulative, strict=True)
            )
        ),
        acknowledged_later=counts["acknowledged"] - (cumulative[-1] if cumulative else 0),
        open_now=counts["open_now"],
        waiting_now=counts["waiting_now"],
    )
