"""What the apps above supporters add to a supporter's page and record, registered in their
AppConfig.ready.

supporters sits below intake, matches and matching, so it never imports them (docs/adr/0003):
matching adds the form that matches this supporter with a waiting request, by hand; matches
adds the peer-support hours so far, and tells what each supporter gave lately (hours this month,
hard contacts), which the burnout signals read.

Consent (ADR 0008): privacy keeps what an applicant agreed to, in the application's
transaction, and shows it on the application's page.
"""

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from alongside.core.consent import Agreement, GivenHow
from alongside.core.hooks import Registry, merged

if TYPE_CHECKING:
    from alongside.supporters.models import Application, Supporter

# (http request, supporter) -> extra context for the supporter's page.
PagePanel = Callable[[HttpRequest, "Supporter"], dict[str, Any]]
# (http request, application) -> extra context for the application's page.
ApplicationPanel = Callable[[HttpRequest, "Application"], dict[str, Any]]
# (application, what the applicant agreed to, how) -> anything; keeps them.
ConsentKeeper = Callable[["Application", Sequence[Agreement], GivenHow], object]


@dataclass(frozen=True)
class Workload:
    """What a supporter gave lately, as an app above knows it (matches: their contacts)."""

    hours_this_month: Decimal = Decimal("0.0")
    # How many of their latest contacts in a row needed the coordinator.
    hard_contacts_in_a_row: int = 0

    def __add__(self, other: "Workload") -> "Workload":
        return Workload(
            hours_this_month=self.hours_this_month + other.hours_this_month,
            hard_contacts_in_a_row=max(self.hard_contacts_in_a_row, other.hard_contacts_in_a_row),
        )


# (supporter ids, their program's today) -> the workload of each, by id.
WorkloadSource = Callable[[Sequence[int], dt.date], Mapping[int, Workload]]


@dataclass
class _Hooks:
    page_panels: Registry[PagePanel] = field(default_factory=Registry)
    workloads: Registry[WorkloadSource] = field(default_factory=Registry)
    application_panels: Registry[ApplicationPanel] = field(default_factory=Registry)
    consent_keepers: Registry[ConsentKeeper] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_supporter_page(panel: PagePanel) -> None:
    HOOKS.page_panels.add(panel)


def on_workload(source: WorkloadSource) -> None:
    HOOKS.workloads.add(source)


def on_application_page(panel: ApplicationPanel) -> None:
    HOOKS.application_panels.add(panel)


def on_application_consent(keeper: ConsentKeeper) -> None:
    HOOKS.consent_keepers.add(keeper)


def application_page_context(request: HttpRequest, application: "Application") -> dict[str, Any]:
    """What every registered app adds to the application's page (privacy: the consents)."""
    return merged(HOOKS.application_panels, request, application)


def application_consent_given(
    application: "Application", agreements: Sequence[Agreement], how: GivenHow
) -> None:
    """Hands what the applicant agreed to to the app that keeps it, inside the application's
    own transaction: if it cannot be kept, the application is not kept either."""
    if not HOOKS.consent_keepers:
        raise RuntimeError("No app keeps consent: is alongside.privacy installed?")
    for keeper in HOOKS.consent_keepers:
        keeper(application, agreements, how)


def supporter_page_context(request: HttpRequest, supporter: "Supporter") -> dict[str, Any]:
    """What every registered app adds to the supporter's page."""
    return merged(HOOKS.page_panels, request, supporter)


def workloads_of(supporter_ids: Sequence[int], today: dt.date) -> dict[int, Workload]:
    """What each supporter gave lately, by id, as every registered app tells it."""
    workloads = {supporter_id: Workload() for supporter_id in supporter_ids}
    for source in HOOKS.workloads:
        for supporter_id, workload in source(supporter_ids, today).items():
            workloads[supporter_id] += workload
    return workloads
