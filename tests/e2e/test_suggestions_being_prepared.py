"""A coordinator opens a request before the program's suggestions exist: the page says they are
being prepared (and never builds them itself), then shows them by itself once the worker has."""

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.matching.snapshot import cache, store
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


class _Queue:
    """The worker's queue: remembers what is asked of it, runs nothing."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def enqueue(self, program_id: int) -> None:
        self.asked.append(program_id)


def test_the_request_page_shows_the_suggestions_once_the_worker_has_built_them(
    journey: Journey, coordinator_a, request_a, supporter_a, monkeypatch
):
    queue = _Queue()
    monkeypatch.setattr(cache, "_runs_here", lambda: False)
    monkeypatch.setattr(cache, "rebuild_snapshot", queue)
    page = journey.page

    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.open(f"/requests/{request_a.pk}/")
    expect(page.get_by_test_id("suggestions-being-prepared")).to_contain_text(
        "Suggestions are being prepared"
    )
    assert queue.asked == [request_a.program_id]

    with page.expect_navigation(wait_until="load", timeout=15_000):  # it asks every 3 seconds
        store.rebuild_program(queue.asked[0])  # the worker's turn
    journey.check("suggestions shown")
    expect(page.get_by_test_id("candidate")).to_contain_text("Sam")
