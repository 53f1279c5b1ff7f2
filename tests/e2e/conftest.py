"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Every page a journey loads must pass axe-core (WCAG 2.0/2.1/2.2 A and AA, serious and critical
impact). That is enforced, not remembered: an autouse fixture listens to the page's `load`
event and, when the test ends, fails it if any loaded page was not checked with
`assert_accessible(page)`. The `Journey` helper checks every page it lands on: `open(path)`,
`go(link_or_button)` and `press_enter_on(button)` wait for the new page and run axe on it;
`check(state)` re-checks the page after it changed in place.

The fixtures here also fail a test on a JavaScript error or a console error (a static file that
did not load, a Content-Security-Policy violation).
"""

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import pytest
from allauth.mfa import app_settings as mfa_settings
from playwright.sync_api import ConsoleMessage, Locator, Page, expect

from alongside.accounts.factories import authenticator_code
from alongside.accounts.models import User

# Playwright's sync API runs an event loop in this thread, and the test's ORM calls (factories,
# assertions on stored rows) run in the same thread: Django would refuse them as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

E2E_DIR = Path(__file__).resolve().parent
PROJECT_DIR = E2E_DIR.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = PROJECT_DIR / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
SECOND_STEP = "/accounts/2fa/authenticate/"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (`-m "not e2e"` leaves them out)."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: run 'make chromium' (apt-get install chromium), "
            "or leave the browser tests out with -m 'not e2e'.",
            pytrace=False,
        )
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    """Lets journeys write page.goto("/ask/ms/") against the live server."""
    return str(live_server.url)


# --- Every loaded page is checked by axe ------------------------------------------------------


@dataclass
class LoadedPage:
    url: str
    checked: bool = False


@dataclass
class PageLog:
    """What the browser loaded during one test, and what went wrong in it."""

    loaded: list[LoadedPage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def current(self) -> LoadedPage | None:
        return self.loaded[-1] if self.loaded else None


LOG_ATTRIBUTE = "_alongside_page_log"


def _on_console(log: PageLog, message: ConsoleMessage) -> None:
    # Chromium asks for /favicon.ico on its own; its absence is not the page's doing.
    if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
        log.errors.append(f"console error on {message.location.get('url', '?')}: {message.text}")


def _on_load(log: PageLog, url: str) -> None:
    current = log.current
    if current is not None and current.url == url and not current.checked:
        return  # the address changed to it just before it loaded: the same page
    log.loaded.append(LoadedPage(url=url))


def _on_address_changed(log: PageLog, url: str) -> None:
    # A skip link or an in-page anchor changes only the fragment: the same page, not a new state.
    if log.current is None or urldefrag(log.current.url)[0] != urldefrag(url)[0]:
        log.loaded.append(LoadedPage(url=url))


@pytest.fixture(autouse=True)
def _every_page_checked_by_axe(request: pytest.FixtureRequest) -> Iterator[None]:
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    log = PageLog()
    setattr(page, LOG_ATTRIBUTE, log)
    page.on("load", lambda loaded: _on_load(log, loaded.url))
    # A list updated in place puts its filters in the address (hx-push-url): a new state to check.
    page.on(
        "framenavigated",
        lambda frame: _on_address_changed(log, frame.url) if frame == page.main_frame else None,
    )
    page.on("console", lambda message: _on_console(log, message))
    page.on("pageerror", lambda error: log.errors.append(f"JavaScript error: {error}"))
    yield
    if getattr(request.node, "rep_call_failed", False):
        return  # the test's own failure says more than the checks below would
    unchecked = [loaded.url for loaded in log.loaded if not loaded.checked]
    problems = []
    if unchecked:
        problems.append(
            "These pages were loaded but never checked with assert_accessible(page):\n  "
            + "\n  ".join(unchecked)
        )
    if log.errors:
        problems.append("The browser reported errors:\n  " + "\n  ".join(log.errors))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remembers whether the test body failed, so the page checks do not pile on."""
    report = yield
    if report.when == "call":
        item.rep_call_failed = report.failed  # type: ignore[attr-defined]
    return report


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"- [{violation['impact']}] {violation['id']}: {violation['help']}"]
    lines.append(f"  {violation['helpUrl']}")
    for node in violation["nodes"]:
        target = " ".join(
            " > ".join(part) if isinstance(part, list) else part for part in node["target"]
        )
        lines.append(f"    at {target}")
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        if summary:
            lines.append(f"       {summary}")
    return "\n".join(lines)


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: run 'npm ci'.", pytrace=False)
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Runs axe-core on the page as it is now; returns the serious and critical violations."""
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # The app's Content-Security-Policy (script-src 'self') refuses inline <script> tags,
        # so page.add_script_tag(path=...) would be blocked; evaluating the source through
        # the DevTools protocol is not subject to CSP and leaves the page's policy untouched.
        page.evaluate(f"() => {{ {_axe_source()}\n; window.axe = axe; }}")
    results = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    violations = [v for v in results["violations"] if v["impact"] in BLOCKING_IMPACTS]
    broken = page.evaluate(BROKEN_REFERENCES_SCRIPT)
    if broken:
        # axe only reports these as "needs review"; a description or label that points nowhere
        # is never read out, so the help text or error it meant to attach is silently lost.
        violations.append(
            {
                "id": "broken-aria-reference",
                "impact": "serious",
                "help": "aria-describedby, aria-labelledby, aria-controls and label[for] "
                "must point at ids that exist on the page",
                "helpUrl": "https://www.w3.org/TR/WCAG22/#info-and-relationships",
                "nodes": [
                    {
                        "target": [item["target"]],
                        "failureSummary": f"missing id(s): {item['missing']}",
                    }
                    for item in broken
                ],
            }
        )
    return violations


BROKEN_REFERENCES_SCRIPT = """() => {
    const found = [];
    const describe = (element) => element.id ? `#${element.id}`
        : `${element.tagName.toLowerCase()}[name="${element.getAttribute('name') || ''}"]`;
    for (const attribute of ['aria-describedby', 'aria-labelledby', 'aria-controls']) {
        for (const element of document.querySelectorAll(`[${attribute}]`)) {
            const missing = element.getAttribute(attribute).split(/\\s+/)
                .filter((id) => id && !document.getElementById(id));
            if (missing.length) {
                const target = `${describe(element)} [${attribute}]`;
                found.push({target, missing: missing.join(' ')});
            }
        }
    }
    for (const label of document.querySelectorAll('label[for]')) {
        if (!document.getElementById(label.htmlFor)) {
            found.push({target: `label[for="${label.htmlFor}"]`, missing: label.htmlFor});
        }
    }
    return found;
}"""


SETTLED_SCRIPT = """() => document.getAnimations().every((animation) =>
    animation.playState !== 'running'
    || animation.effect.getComputedTiming().iterations === Infinity)"""


def assert_accessible(page: Page, state: str = "") -> None:
    """Fails with every serious or critical axe violation on the page, and marks it checked."""
    violations = axe_violations(page)
    url = page.url
    log: PageLog | None = getattr(page, LOG_ATTRIBUTE, None)
    if log is not None and log.current is not None:
        if log.current.url != url:
            raise AssertionError(
                f"assert_accessible ran on {url}, but the last page loaded was "
                f"{log.current.url}: wait for the new page before checking it."
            )
        log.current.checked = True
    if violations:
        where = f"{url} ({state})" if state else url
        raise AssertionError(
            f"axe found {len(violations)} serious or critical accessibility violation(s) on "
            f"{where}:\n" + "\n".join(_describe(v) for v in violations)
        )


# --- A person using the site ------------------------------------------------------------------


@dataclass
class Journey:
    """One person's way through the site; every page it lands on is checked by axe."""

    page: Page
    typed_codes: set[str] = field(default_factory=set)

    def open(self, path: str) -> Page:
        response = self.page.goto(path)
        assert response is not None, f"{path} did not answer"
        assert response.ok, f"{path} answered {response.status}"
        self.check()
        return self.page

    def check(self, state: str = "") -> None:
        # After an in-place change, a control that was swapped in under the pointer or lost the
        # focus is still fading between its colours: check the page as it settles, not mid-way.
        self.page.wait_for_function(SETTLED_SCRIPT)
        assert_accessible(self.page, state)

    def go(self, target: Locator, state: str = "") -> Page:
        """Clicks a link or button that leads to another page, waits for it, checks it."""
        with self.page.expect_navigation(wait_until="load"):
            target.click()
        self.check(state)
        return self.page

    def press_enter_on(self, target: Locator, state: str = "") -> Page:
        """Sends a form from the keyboard: `target` must already have the focus."""
        expect(target).to_be_focused()
        with self.page.expect_navigation(wait_until="load"):
            self.page.keyboard.press("Enter")
        self.check(state)
        return self.page

    def sign_in(self, email: str, password: str) -> None:
        """Signs in with the password, then, for an account with an authenticator app (every
        staff member), with the code the app would show, as the person would."""
        self.sign_in_with_password(email, password)
        if self.page.url.endswith(SECOND_STEP):
            self.type_authenticator_code(User.objects.get(email=email))
        # Signed in: the header shows the inbox (the rest may be folded behind the Menu button).
        expect(self.page.locator("#inbox-link")).to_be_visible()

    def open_menu(self) -> None:
        """Opens the site's menu when it is folded behind its Menu button (a phone, a page zoomed
        in, a menu too long for one line); when its links already show, there is nothing to do."""
        toggle = self.page.locator("[data-menu-toggle]")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            toggle.click()
            expect(toggle).to_have_attribute("aria-expanded", "true")

    def sign_in_with_password(self, email: str, password: str) -> None:
        self.open("/accounts/login/")
        expect(self.page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
        # allauth's label reads "Email"; the rest of the site writes "E-mail".
        self.page.get_by_role("textbox", name=re.compile(r"^E-?mail\b")).fill(email)
        self.page.get_by_label("Password").fill(password)
        self.go(self.page.get_by_role("main").get_by_role("button", name="Sign in"), "signed in")

    def type_authenticator_code(self, user: User) -> None:
        expect(self.page.get_by_role("heading", name="Type your code", level=1)).to_be_visible()
        self.page.get_by_label("Code from your authenticator app").fill(self.fresh_code(user))
        self.go(self.page.get_by_role("main").get_by_role("button", name="Sign in"), "code typed")

    def fresh_code(self, user: User) -> str:
        """A code the app shows now (or the next one) that this journey has not typed yet:
        each code works once, and a person signing in again soon waits for the next one."""
        for _ in range(2 * mfa_settings.TOTP_PERIOD + 5):
            for steps_from_now in (0, 1):
                code = authenticator_code(user, steps_from_now=steps_from_now)
                if code not in self.typed_codes:
                    self.typed_codes.add(code)
                    return code
            time.sleep(1)
        raise AssertionError("No new authenticator code came: is the clock frozen?")

    def sign_out(self) -> None:
        self.open_menu()
        self.go(self.page.get_by_role("button", name="Sign out"), "signed out")
        expect(self.page.get_by_role("link", name="Sign in")).to_be_visible()


@pytest.fixture
def journey(page: Page) -> Journey:
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    return Journey(page)
