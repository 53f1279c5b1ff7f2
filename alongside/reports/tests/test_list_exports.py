"""The follow-up queue's lists, the resource directory and the group sessions export exactly the
rows their pages show, only of the coordinator's programs whatever the parameters; those that
name people first ask the staff member to confirm it is them."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.models import User
from alongside.groups.factories import GroupSessionFactory
from alongside.matches.factories import (
    CheckInFactory,
    ContactLogFactory,
    HoursReportFactory,
    MatchFactory,
)
from alongside.matches.models import NoContactAlert, NoContactStage
from alongside.programs.models import Program
from alongside.reports import exports
from alongside.reports.exportable import exportable_lists
from alongside.reports.tests.test_export_views import confirmed
from alongside.resources.factories import ResourceFactory
from alongside.supporters.factories import SupporterFactory


def _silent(program: Program) -> Any:
    return NoContactAlert.objects.create(
        match=MatchFactory(program=program),
        silent_since=timezone.now() - dt.timedelta(days=21),
        stage=NoContactStage.ESCALATED,
        created_at=timezone.now(),
    )


# A row of each list, in a program.
ROW_OF: dict[str, Callable[[Program], Any]] = {
    "missing_hours_reports": lambda program: HoursReportFactory(
        supporter=SupporterFactory(program=program)
    ),
    "silent_matches": _silent,
    "checkins_due": lambda program: CheckInFactory(
        match=MatchFactory(program=program), due_on=timezone.localdate()
    ),
    "follow_ups_due": lambda program: ContactLogFactory(
        match=MatchFactory(program=program), follow_up_on=timezone.localdate()
    ),
    "resources": lambda program: ResourceFactory(program=program),
    "sessions_coming_up": lambda program: GroupSessionFactory(program=program),
    "sessions_past": lambda program: GroupSessionFactory(
        program=program, starts_at=timezone.now() - dt.timedelta(days=7)
    ),
}
NAMING_PEOPLE = {"missing_hours_reports", "silent_matches", "checkins_due", "follow_ups_due"}


def csv_text(response: Any) -> str:
    return b"".join(response.streaming_content).decode()


@pytest.mark.parametrize("name", sorted(ROW_OF))
def test_the_export_holds_the_rows_the_page_shows_of_the_coordinators_programs_only(
    client: Client, coordinator_a: User, program_a: Program, program_b: Program, name: str
) -> None:
    for program in (program_a, program_a, program_b):
        ROW_OF[name](program)
    definition = exportable_lists()[name]
    client = confirmed(client, coordinator_a)
    # Another program's id is left out, by the page and the export alike.
    params = {"sort": "-program", "program": str(program_b.pk)}

    shown = client.get(reverse(definition.page), params).context["list"].page.object_list
    exported = client.get(reverse("reports:export", args=[name]), params | {"format": "csv"})

    assert len(shown) == 2
    assert {definition.column("program").value(row) for row in shown} == {"Program A"}
    headers = [column.label for column in definition.columns]
    cells = ([column.value(row) for column in definition.columns] for row in shown)
    assert csv_text(exported) == "".join(exports.csv_lines(headers, cells))


@pytest.mark.parametrize("name", sorted(ROW_OF))
def test_an_export_naming_people_asks_to_confirm_it_is_them_first(
    client: Client, coordinator_a: User, program_a: Program, name: str
) -> None:
    ROW_OF[name](program_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:export", args=[name]), {"format": "csv"})

    if name in NAMING_PEOPLE:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_reauthenticate"))
    else:
        assert response.status_code == 200
        assert len(csv_text(response).splitlines()) == 2


@pytest.mark.parametrize("name", sorted(ROW_OF))
def test_a_supporter_cannot_export_these_lists(client: Client, supporter_a: Any, name: str) -> None:
    client.force_login(supporter_a.user)

    assert client.get(reverse("reports:export", args=[name]), {"format": "csv"}).status_code == 403
