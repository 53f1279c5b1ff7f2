"""The audit log as a list the privacy lead and administrators keep (core/lists.py).

Searched by person, by staff member, by action and by period. A person is found by name as
every list finds one (a whole word of their encrypted first or last name through its blind
index, ADR 0006; the start of a supporter's account name), then by the records that are
theirs: their support requests, their supporter profiles, their applications and the matches
either side of which they are. The events hold no name: the log shows the record, never the
person.
"""

from typing import Any

import django_filters
from django.apps import apps
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.accounts.models import AUDIT_ROLES
from alongside.core.blind_index import name_matches
from alongside.core.lists import Column, ListDefinition, ListFilters
from alongside.core.models import AuditEvent
from alongside.intake.lists import search_by_name as requests_named
from alongside.intake.models import SupportRequest
from alongside.matches.lists import pair_named
from alongside.matches.models import Match
from alongside.matches.supporter_list import search_by_name as supporters_named
from alongside.privacy.queries import (
    audit_events_visible_to,
    audit_programs_of,
    recorded_actions,
    staff_of,
)
from alongside.supporters.models import Application, Supporter


class AuditFilters(ListFilters):
    program = django_filters.ChoiceFilter(
        field_name="program_id", label=_("Program"), empty_label=_("All my programs")
    )
    actor = django_filters.ChoiceFilter(
        field_name="actor_id", label=_("Staff member"), empty_label=_("Anyone")
    )
    action = django_filters.ChoiceFilter(label=_("Action"), empty_label=_("Any action"))
    since = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )

    def limit_choices(self, user: Any) -> None:
        """Only the viewer's programs and the staff of those programs: another program's id or
        person is not a choice, so it is left out. The actions are codes, every program's."""
        programs = audit_programs_of(user)
        self.filters["program"].extra["choices"] = [
            (str(program.pk), program.name) for program in programs
        ]
        self.filters["actor"].extra["choices"] = [
            (str(person.pk), f"{person.display_name} <{person.email}>")
            for person in staff_of(programs)
        ]
        self.filters["action"].extra["choices"] = [
            (action, action) for action in recorded_actions()
        ]


def _as_text(rows: QuerySet[Any]) -> QuerySet[Any]:
    """The ids of `rows` as an event names its record (text)."""
    keys: QuerySet[Any] = rows.order_by().annotate(key=Cast("pk", CharField())).values("key")
    return keys


def about_person(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Events about a record of the person named `term`: their requests, supporter profiles,
    applications, and the matches they are in."""
    requests = requests_named(SupportRequest.objects.all(), term)
    supporters = supporters_named(Supporter.objects.all(), term)
    applications = Application.objects.filter(
        name_matches(
            term, plain=[], blind=[(Application, "first_name", ""), (Application, "last_name", "")]
        )
    )
    matches = Match.objects.filter(pair_named(term))
    targets = Q()
    for label, records in (
        ("intake.supportrequest", requests),
        ("supporters.supporter", supporters),
        ("supporters.application", applications),
        ("matches.match", matches),
    ):
        targets |= Q(target_type=label, target_id__in=_as_text(records))
    return rows.filter(targets)


def record_label(event: AuditEvent) -> str:
    """ "Support request #12": the kind of record and its number, never what it holds."""
    try:
        model = apps.get_model(event.target_type)
    except (LookupError, ValueError):
        return f"{event.target_type} #{event.target_id}"
    return f"{str(model._meta.verbose_name).capitalize()} #{event.target_id}"


def _actor(event: AuditEvent) -> str:
    return event.actor.email if event.actor is not None else str(_("The system"))


def _count(number: int) -> str:
    return ngettext("%(count)s event", "%(count)s events", number) % {"count": number}


AUDIT_LOG = ListDefinition(
    name="audit",
    columns=(
        Column("when", _("When"), lambda row: row.occurred_at, sort=("occurred_at",)),
        Column(
            "program",
            _("Program"),
            lambda row: row.program.name if row.program else "",
            sort=("program__name",),
        ),
        Column("actor", _("Staff member"), _actor, sort=("actor__email",)),
        Column("action", _("Action"), lambda row: row.action, sort=("action",)),
        Column("record", _("Record"), record_label),
        Column("address", _("From"), lambda row: row.ip_address or ""),
    ),
    scoped=lambda user: audit_events_visible_to(user).select_related("program", "actor"),
    filters=AuditFilters,
    default_sort="-when",
    count_text=_count,
    search=about_person,
    search_label=_("Person (name)"),
    page="privacy:audit_log",
    title=_("Audit log"),
    export_roles=AUDIT_ROLES,
)
