"""intake never imports the apps above it: they register what they add to a request."""

import pytest

from alongside.intake import hooks
from alongside.intake.factories import SupportRequestFactory

pytestmark = pytest.mark.django_db


def test_safety_and_matching_register_their_parts_of_a_request_when_the_site_starts():
    handlers = {handler.__module__ for handler in hooks.HOOKS.crisis_handlers}
    panels = {panel.__module__ for panel in hooks.HOOKS.page_panels}

    assert "alongside.safety.request_hooks" in handlers
    assert "alongside.matching.request_page" in panels


def test_a_crisis_no_app_handles_is_refused_loudly_rather_than_lost(monkeypatch):
    monkeypatch.setattr(hooks, "HOOKS", hooks._Hooks())

    with pytest.raises(RuntimeError, match="No app handles a crisis"):
        hooks.crisis_signalled(SupportRequestFactory(), [("Are you safe?", "No")])
