"""A program of a province's size opens its request page, on a stock SQLite build too.

SQLite allows 32,766 variables in one query (its default limit since 3.32); a query that lists
every supporter's id fails above that. The snapshot reads the program through joins instead.
"""

import sqlite3
from collections.abc import Iterator

import pytest
from django.db import connection
from django.urls import reverse

from alongside.accounts.models import User
from alongside.programs.models import Experience, Program, Relationship
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

SUPPORTERS = 40_000
SQLITE_STOCK_LIMIT = 32_766


@pytest.fixture
def stock_sqlite_limit(db: None) -> Iterator[None]:
    """The database allows no more variables in a query than a stock SQLite build does."""
    if connection.vendor != "sqlite":  # PostgreSQL has no such limit: the page alone is tested
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    before = raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, SQLITE_STOCK_LIMIT)
    try:
        yield
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, before)


def _province_sized(program: Program, experience: Experience) -> None:
    """40,000 active supporters, one in ten of whom shares the request's experience, in bulk."""
    users = User.objects.bulk_create(
        User(email=f"supporter.{number}@province.example", first_name=f"S{number:05d}")
        for number in range(SUPPORTERS)
    )
    supporters = Supporter.objects.bulk_create(
        Supporter(
            program=program,
            user=user,
            status=SupporterStatus.ACTIVE,
            languages=["en"],
            contact_methods=["phone"],
            region="Ontario",
            time_zone="America/Toronto",
            max_concurrent_matches=2,
        )
        for user in users
    )
    LivedExperience.objects.bulk_create(
        LivedExperience(supporter=supporter, experience=experience, relationship=Relationship.SELF)
        for supporter in supporters[::10]
    )


def test_a_40000_supporter_program_opens_its_request_page_with_suggestions(
    stock_sqlite_limit, client, coordinator_a, request_a, program_a, ms
):
    _province_sized(program_a, ms)
    client.force_login(coordinator_a)

    response = client.get(reverse("intake:request_detail", args=[request_a.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "40000 supporters can take this request" in page.replace(",", "").replace("\xa0", "")
    assert 'data-testid="candidate"' in page
