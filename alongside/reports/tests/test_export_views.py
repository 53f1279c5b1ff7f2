"""Exporting a list: the rows its page shows for the same parameters, every page of them, only
the coordinator's own programs, after confirming it is them, audited and rate-limited."""

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.http import HttpResponse, QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import DEMO_PASSWORD, MembershipFactory
from alongside.accounts.models import Role, User
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.lists import REQUEST_QUEUE
from alongside.intake.models import RequestStatus
from alongside.matches.factories import MatchFactory
from alongside.programs.models import Program
from alongside.reports import export_views, exports
from alongside.reports.exportable import exportable_lists
from alongside.supporters.factories import SupporterFactory

EXPORT = reverse("reports:export", args=["requests"])


def confirmed(client: Client, user: User) -> Client:
    """Signed in, and just confirmed it is them with their password."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def due_in(program: Program, hours: float, **fields: Any) -> Any:
    return SupportRequestFactory(
        program=program, due_at=timezone.now() + dt.timedelta(hours=hours), **fields
    )


def read_csv(response: HttpResponse) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content.removeprefix("\ufeff"))))


def read_xlsx(response: HttpResponse) -> list[list[object]]:
    """The sheet's cells, an empty cell as the empty text it was written from."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]


def list_cells(user: User, **params: str) -> list[list[Any]]:
    """The list's own rows for `params`, every page, as an export writes their cells."""
    query = QueryDict(mutable=True)
    query.update(params)
    return [
        [exports.plain(column.value(row)) for column in REQUEST_QUEUE.columns]
        for row in REQUEST_QUEUE.rows(user, query)
    ]


def messages_of(response: HttpResponse) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# ---- the rows ------------------------------------------------------------------------------


@pytest.fixture
def queue_of_a(program_a: Program, program_b: Program) -> list[Any]:
    """Thirty requests waiting in A (more than a page of 25), two matched, one in B."""
    waiting = [due_in(program_a, hours) for hours in range(-5, 25)]
    due_in(program_a, 3, status=RequestStatus.MATCHED)
    due_in(program_a, 4, status=RequestStatus.MATCHED)
    due_in(program_b, 1)
    return waiting


def test_the_xlsx_holds_every_page_of_the_list_in_its_order(
    client: Client, coordinator_a: User, queue_of_a: list[Any]
) -> None:
    params = {"sort": "-waiting", "per_page": "25", "page": "2"}

    response = confirmed(client, coordinator_a).get(EXPORT, {**params, "format": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = read_xlsx(response)
    assert sheet[0] == [str(column.label) for column in REQUEST_QUEUE.columns]
    assert len(sheet[1:]) == 30
    assert sheet[1:] == list_cells(coordinator_a, sort="-waiting")


def test_the_csv_holds_the_same_rows_as_the_filtered_list(
    client: Client, coordinator_a: User, program_a: Program, queue_of_a: list[Any]
) -> None:
    params = {"status": RequestStatus.MATCHED, "sort": "due"}

    response = confirmed(client, coordinator_a).get(EXPORT, {**params, "format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="requests-' in response["Content-Disposition"]
    rows = read_csv(response)
    expected = list_cells(coordinator_a, **params)
    assert len(rows[1:]) == len(expected) == 2
    assert [row[0] for row in rows[1:]] == [cells[0] for cells in expected]


def test_a_coordinator_never_exports_another_programs_rows_whatever_the_parameters(
    client: Client, coordinator_b: User, program_a: Program, queue_of_a: list[Any]
) -> None:
    client = confirmed(client, coordinator_b)

    asked_for_a = client.get(EXPORT, {"program": program_a.pk, "format": "csv"})
    everything = client.get(EXPORT, {"status": RequestStatus.MATCHED, "format": "csv"})

    programs_in = {row[1] for row in read_csv(asked_for_a)[1:]}
    assert programs_in == {"Program B"}
    assert read_csv(everything)[1:] == []


def test_a_formula_typed_into_a_request_is_exported_as_text(
    client: Client, coordinator_a: User, program_a: Program
) -> None:
    due_in(program_a, 2, peer__first_name='=HYPERLINK("http://evil.example")')
    client = confirmed(client, coordinator_a)

    from_csv = read_csv(client.get(EXPORT, {"format": "csv"}))
    from_xlsx = read_xlsx(client.get(EXPORT, {"format": "xlsx"}))

    assert from_csv[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert from_xlsx[1][0] == '\'=HYPERLINK("http://evil.example")'


# ---- confirming it is them, the audit, the limits ------------------------------------------


def test_an_export_of_personal_data_asks_to_confirm_it_is_them_then_downloads(
    client: Client, coordinator_a: User, queue_of_a: list[Any]
) -> None:
    client.force_login(coordinator_a)
    address = f"{EXPORT}?sort=due&format=csv"

    asked = client.get(address)
    confirmed_ = client.post(asked["Location"], {"password": DEMO_PASSWORD})
    downloaded = client.get(confirmed_["Location"])

    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert confirmed_["Location"] == address
    assert downloaded.status_code == 200
    assert len(read_csv(downloaded)) == 31
    assert AuditEvent.objects.filter(action="reports.list.exported").count() == 1


def test_every_export_is_audited_with_its_filters_but_never_the_name_searched(
    client: Client, coordinator_a: User, program_a: Program
) -> None:
    due_in(program_a, 2, peer__first_name="Marie", peer__last_name="Tremblay")
    params = {"program": program_a.pk, "q": "Tremblay", "sort": "-due", "format": "xlsx"}

    confirmed(client, coordinator_a).get(EXPORT, params)

    event = AuditEvent.objects.get(action="reports.list.exported")
    assert event.actor == coordinator_a
    assert event.data == {
        "list": "requests",
        "format": "xlsx",
        "rows": 1,
        "filters": {"program": str(program_a.pk)},
        "sort": "-due",
        "searched": True,
    }
    assert "Tremblay" not in str(event.data)
    assert event.program_id == program_a.pk


def test_a_list_too_long_to_export_asks_to_narrow_the_filters(
    client: Client,
    coordinator_a: User,
    queue_of_a: list[Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_views, "ROW_LIMIT", 10)

    response = confirmed(client, coordinator_a).get(EXPORT, {"sort": "due", "format": "csv"})

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('intake:queue')}?sort=due"
    assert "Narrow the filters" in messages_of(response)[0]
    assert not AuditEvent.objects.filter(action="reports.list.exported").exists()


@pytest.mark.parametrize("asked", [{}, {"format": "pdf"}, {"format": ""}])
def test_an_unknown_format_is_a_message_not_an_error(
    client: Client, coordinator_a: User, asked: dict[str, str]
) -> None:
    response = confirmed(client, coordinator_a).get(EXPORT, asked)

    assert response.status_code == 302
    assert messages_of(response) == ["Choose CSV or XLSX to export this list."]


def test_bad_list_parameters_export_what_the_list_shows_for_them(
    client: Client, coordinator_a: User, queue_of_a: list[Any]
) -> None:
    params = {"sort": "nonsense", "due": "someday", "per_page": "7"}

    response = confirmed(client, coordinator_a).get(EXPORT, {**params, "format": "csv"})

    assert response.status_code == 200
    assert len(read_csv(response)[1:]) == len(list_cells(coordinator_a, **params)) == 30


def test_an_unknown_list_is_not_found(client: Client, coordinator_a: User) -> None:
    response = confirmed(client, coordinator_a).get(
        reverse("reports:export", args=["nothing"]), {"format": "csv"}
    )

    assert response.status_code == 404


def test_exports_past_the_hourly_limit_are_refused_with_a_message(
    client: Client, coordinator_a: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = confirmed(client, coordinator_a)
    for _ in range(export_views.EXPORTS_PER_HOUR):
        assert client.get(EXPORT, {"format": "csv"}).status_code == 200

    refused = client.get(EXPORT, {"format": "csv"})

    assert refused.status_code == 302
    assert "try again later" in messages_of(refused)[0]


def test_a_supporter_cannot_export_and_a_visitor_is_sent_to_sign_in(
    client: Client, supporter_a: Any
) -> None:
    visitor = client.get(EXPORT, {"format": "csv"})
    client.force_login(supporter_a.user)
    supporter = client.get(EXPORT, {"format": "csv"})

    assert visitor.status_code == 302
    assert visitor["Location"].startswith(reverse("account_login"))
    assert supporter.status_code == 403


# ---- the buttons ---------------------------------------------------------------------------


def test_the_queue_offers_both_exports_with_its_filters_and_sort(
    client: Client, coordinator_a: User, program_a: Program
) -> None:
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:queue"), {"program": program_a.pk, "sort": "-due", "page": 2})

    assert f'{EXPORT}?program={program_a.pk}&amp;sort=-due&amp;format=csv"' in page.text
    assert f'{EXPORT}?program={program_a.pk}&amp;sort=-due&amp;format=xlsx"' in page.text
    assert "Export XLSX" in page.text


# ---- another list ----------------------------------------------------------------------------


def test_the_match_list_exports_too_and_only_the_programs_its_viewer_staffs(
    client: Client, coordinator_a: User, program_a: Program, program_b: Program
) -> None:
    ours = MatchFactory(program=program_a, request__peer__first_name="Ours")
    # The coordinator of A is also a supporter in B: the match list shows them their own match
    # there, but an export is staff's work, of the programs they staff.
    MembershipFactory(user=coordinator_a, program=program_b, role=Role.SUPPORTER)
    own_elsewhere = MatchFactory(
        program=program_b,
        supporter=SupporterFactory(program=program_b, user=coordinator_a),
        request__peer__first_name="Elsewhere",
    )
    client = confirmed(client, coordinator_a)
    shown = client.get(reverse("matches:list")).context["page"].object_list

    exported = read_csv(client.get(reverse("reports:export", args=["matches"]), {"format": "csv"}))

    assert set(shown) == {ours, own_elsewhere}
    assert [row[0] for row in exported[1:]] == ["Ours"]


def test_a_supporter_sees_no_export_buttons_on_their_match_list(
    client: Client, supporter_a: Any, match_a: Any
) -> None:
    client.force_login(supporter_a.user)

    page = client.get(reverse("matches:list"))

    assert page.status_code == 200
    assert "Export CSV" not in page.text


def test_the_supporter_list_exports_its_own_rows(
    client: Client,
    coordinator_a: User,
    supporter_a: Any,
    other_supporter_a: Any,
    program_b: Program,
) -> None:
    SupporterFactory(program=program_b)

    exported = read_csv(
        confirmed(client, coordinator_a).get(
            reverse("reports:export", args=["supporters"]), {"sort": "name", "format": "csv"}
        )
    )

    assert [row[0] for row in exported[1:]] == sorted(["Sam", "Robin"])


def test_every_list_is_exportable_and_goes_back_to_its_own_page() -> None:
    lists = exportable_lists()

    assert {"requests", "matches", "supporters"} <= set(lists)
    for definition in lists.values():
        assert definition.address(QueryDict("sort=x")).endswith("?sort=x")
        assert definition.page, f"the list {definition.name!r} names no page to go back to"
        reverse(definition.page)


@pytest.mark.parametrize("name", sorted(exportable_lists()))
def test_each_list_exports_its_headings_and_the_rows_its_page_counts(
    client: Client,
    coordinator_a: User,
    administrator: User,
    match_a: Any,
    request_a: Any,
    name: str,
) -> None:
    definition = exportable_lists()[name]
    # A list that names who exports it (the audit log) is exported by one of them.
    client = confirmed(client, administrator if definition.export_roles else coordinator_a)
    counted = client.get(reverse(definition.page)).context["list"].count

    sheet = read_xlsx(client.get(reverse("reports:export", args=[name]), {"format": "xlsx"}))

    assert sheet[0] == [str(column.label) for column in definition.columns]
    assert len(sheet) - 1 == counted
