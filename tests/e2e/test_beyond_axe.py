"""What axe cannot see, checked in a real browser, in English and in French: the focus ring on
every kind of control, the menu at 640 px wide (a page zoomed to 200 %), the error summary's
links to groups of choices, the size of every target, and the API docs page.

How the measures are taken, and what counts as a target, is in tests/e2e/measure.py.
"""

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.intake.models import SupportRequest
from alongside.matches.factories import HoursReportFactory, MatchFactory
from alongside.matching import services as matching
from alongside.programs.models import Experience, Program
from alongside.supporters.factories import not_ready_supporter
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey, assert_accessible
from tests.e2e.measure import focus_ring, targets_smaller_than

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "fr-ca"]
LARGE = 44  # px, on the public pages and the supporter's (WCAG 2.5.5)
SMALLEST = 24  # px, everywhere (WCAG 2.5.8)


def choose_language(journey: Journey, language: str) -> None:
    """Switches the site's language with the header's button, as a person would."""
    page = journey.page
    if page.locator("html").get_attribute("lang") != language:
        journey.open_menu()
        journey.go(page.locator(f'button[name="language"][value="{language}"]'), language)
    expect(page.locator("html")).to_have_attribute("lang", language)


def tab_to(page: Page, target: Locator, *, most: int = 120) -> None:
    """Presses Tab until `target` has the focus, as a keyboard user would reach it."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def assert_ring_stands_out(page: Page, what: str, target: Locator) -> None:
    tab_to(page, target)
    ring = focus_ring(target)
    assert ring.width >= 2, f"the focused {what} shows no ring: {ring}"
    assert ring.ratio >= 3, f"the focused {what}'s ring is {ring.ratio:.2f}:1: {ring}"


def menu_links(page: Page) -> Locator:
    return page.locator(".site-nav-list a")


def rows_of(links: Locator) -> int:
    """On how many lines the menu's links are laid out."""
    tops = links.evaluate_all("links => links.map((link) => link.getBoundingClientRect().top)")
    return len({round(top) for top in tops})


# --- Focus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_focused_field_button_checkbox_radio_and_link_each_show_a_ring_at_3_to_1(
    journey: Journey, page: Page, program_a: Program, coordinator_a: User, language: str
) -> None:
    journey.open(f"/ask/{program_a.slug}/")
    choose_language(journey, language)
    form = page.locator("main form")
    assert_ring_stands_out(page, "link in the header", page.locator(".site-brand"))
    assert_ring_stands_out(page, "text field", form.locator("#id_first_name"))
    assert_ring_stands_out(page, "checkbox", form.locator("#id_contact_methods_0"))
    assert_ring_stands_out(page, "radio button", form.locator("#id_relationship_0"))
    assert_ring_stands_out(page, "list", form.locator("#id_language"))
    assert_ring_stands_out(page, "text area", form.locator("#id_about"))
    assert_ring_stands_out(page, "button", form.locator("button[type=submit]"))

    choose_language(journey, "en")  # the sign-in helper reads the English labels
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    choose_language(journey, language)
    journey.open_menu()  # in French the menu is too long for 1280 px
    assert_ring_stands_out(page, "menu link", menu_links(page).first)
    assert_ring_stands_out(page, "button in the header", page.locator("#inbox-link"))
    assert_ring_stands_out(page, "link in running text", page.locator("main p a").first)
    page.set_viewport_size({"width": 640, "height": 800})
    assert_ring_stands_out(page, "Menu button", page.locator("[data-menu-toggle]"))


# --- The menu ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_at_640_px_the_staff_menu_folds_behind_a_menu_button_the_keyboard_opens(
    journey: Journey, page: Page, coordinator_a: User, language: str
) -> None:
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    choose_language(journey, language)
    page.set_viewport_size({"width": 640, "height": 800})
    toggle = page.locator("[data-menu-toggle]")
    requests = page.locator(".site-nav-list a[href='/requests/']")

    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(requests).to_be_hidden()
    header = page.locator("header").bounding_box()
    assert header is not None
    assert header["height"] <= 100, "the folded menu still fills the screen"
    expect(page.get_by_role("heading", level=1)).to_be_in_viewport()

    tab_to(page, toggle)
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(requests).to_be_visible()
    journey.check("menu open")
    tab_to(page, requests)
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(requests).to_be_hidden()

    page.keyboard.press("Space")
    tab_to(page, requests)
    journey.press_enter_on(requests, "requests, from the menu")
    expect(page.locator("[data-menu-toggle]")).to_have_attribute("aria-expanded", "false")


def test_at_1280_px_the_coordinators_menu_sits_on_one_line_without_a_menu_button(
    journey: Journey, page: Page, coordinator_a: User
) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(menu_links(page).first).to_be_visible()
    assert menu_links(page).count() >= 8
    assert rows_of(menu_links(page)) == 1

    # In French the same links are longer: they fold behind the button rather than wrap.
    choose_language(journey, "fr-ca")
    if page.locator("[data-menu-toggle]").is_visible():
        journey.open_menu()
        expect(menu_links(page).first).to_be_visible()
        journey.check("menu open")
    else:
        assert rows_of(menu_links(page)) == 1


def test_without_javascript_every_menu_link_shows_and_no_button_hides_them(
    browser: Browser, live_server: object, supporter_a: Supporter
) -> None:
    context = browser.new_context(
        java_script_enabled=False,
        viewport={"width": 640, "height": 800},
        base_url=str(live_server.url),  # type: ignore[attr-defined]
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(supporter_a.user.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()

    expect(page.locator("[data-menu-toggle]")).to_be_hidden()
    expect(page.locator(".site-nav-list a[href='/me/']")).to_be_visible()
    expect(page.locator(".site-nav-list a[href='/matches/']")).to_be_visible()
    context.close()


# --- The error summary ---------------------------------------------------------------------

WHERE_A_LINK_LANDS = """(id) => {
  const target = document.getElementById(id);
  if (!target) {
    return {exists: false};
  }
  const group = target.closest('fieldset');
  const first = group && group.querySelector('input:not([type=hidden]), select, textarea');
  return {
    exists: true,
    focusable: target.tabIndex >= 0 && !target.disabled && target.getClientRects().length > 0,
    inGroup: Boolean(group),
    firstOfGroup: !group || first === target,
  };
}"""

# The question of the control that has the focus (its label, or its group's legend) is on screen.
# Bootstrap scrolls smoothly, so the check waits for the scroll to end, as a person's eyes do.
QUESTION_ON_SCREEN = """() => {
  const control = document.activeElement;
  const group = control.closest('fieldset');
  const question = (group && group.querySelector('legend')) || control.labels[0];
  const box = question.getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight;
}"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", ["ask", "apply"])
def test_each_error_summary_link_lands_on_its_field_or_the_first_choice_of_its_group(
    journey: Journey, page: Page, program_a: Program, form: str, language: str
) -> None:
    journey.open(f"/{form}/{program_a.slug}/")
    choose_language(journey, language)
    journey.go(page.locator("main form button[type=submit]"), "sent empty")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    links = summary.locator("a")
    assert links.count() >= 5

    groups = 0
    for index in range(links.count()):
        link = links.nth(index)
        target = (link.get_attribute("href") or "").removeprefix("#")
        landing = page.evaluate(WHERE_A_LINK_LANDS, target)
        assert landing["exists"], f"{link.inner_text()!r} points at #{target}, not on the page"
        assert landing["focusable"], f"#{target} cannot take the focus"
        assert landing["firstOfGroup"], f"#{target} is not its group's first choice"
        groups += landing["inGroup"]
        link.click()
        expect(page.locator(f'[id="{target}"]')).to_be_focused()
        expect(page.locator(f'[id="{target}"]')).to_be_in_viewport()
        try:
            page.wait_for_function(QUESTION_ON_SCREEN, timeout=5_000)
        except PlaywrightTimeoutError:
            pytest.fail(f"#{target}'s question is off the screen")
    assert groups >= 2, "the form's groups of choices were all left unanswered"


# --- Targets -------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_target_on_the_public_forms_is_44_px_before_and_after_an_error(
    journey: Journey, page: Page, program_a: Program, language: str
) -> None:
    for form in ("ask", "apply"):
        journey.open(f"/{form}/{program_a.slug}/")
        choose_language(journey, language)
        assert targets_smaller_than(page, LARGE) == [], form
        journey.go(page.locator("main form button[type=submit]"), "sent empty")
        assert targets_smaller_than(page, LARGE) == [], f"{form}, with its errors"


@pytest.fixture
def busy_supporter(
    supporter_a: Supporter, coordinator_a: User, ms: Experience, request_a: SupportRequest
) -> Supporter:
    """A supporter with an active match, a proposal to answer and hours to confirm."""
    MatchFactory(
        program=supporter_a.program,
        supporter=supporter_a,
        request__experience=ms,
        request__peer__first_name="Al",
    )
    matching.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a, send=True
    )
    HoursReportFactory(supporter=supporter_a)
    return supporter_a


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_target_on_my_page_and_the_pages_it_leads_to_is_44_px(
    journey: Journey, page: Page, busy_supporter: Supporter, language: str
) -> None:
    journey.sign_in(busy_supporter.user.email, DEMO_PASSWORD)
    choose_language(journey, language)
    journey.open("/me/")
    assert targets_smaller_than(page, LARGE) == [], "My page"

    leads_to = page.locator("main a").evaluate_all("links => links.map((link) => link.pathname)")
    assert len(leads_to) >= 5
    for path in dict.fromkeys(leads_to):
        journey.open(path)
        assert targets_smaller_than(page, LARGE) == [], path
    page.set_viewport_size({"width": 640, "height": 800})
    journey.open("/me/")
    journey.open_menu()
    assert targets_smaller_than(page, LARGE) == [], "My page at 640 px, menu open"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_target_on_a_coordinators_request_page_and_the_board_is_24_px(
    journey: Journey,
    page: Page,
    coordinator_a: User,
    request_a: SupportRequest,
    supporter_a: Supporter,
    language: str,
) -> None:
    not_ready_supporter(program=request_a.program)
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    choose_language(journey, language)
    for path in (f"/requests/{request_a.pk}/", "/supporters/board/", "/requests/"):
        journey.open(path)
        assert targets_smaller_than(page, SMALLEST) == [], path
    # The board's checkboxes are 44 px squares, with the label around each.
    journey.open("/supporters/board/")
    choose = page.locator("#board input[type=checkbox]").first
    box = choose.evaluate("element => element.labels[0].getBoundingClientRect().toJSON()")
    assert box["width"] >= LARGE, box
    assert box["height"] >= LARGE, box


# --- The API docs --------------------------------------------------------------------------


def test_the_api_docs_show_every_operation_from_our_own_static_files(
    journey: Journey, page: Page, live_server: object
) -> None:
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))

    journey.page.goto("/api/v1/docs")
    operations = page.locator("#swagger-ui .opblock")
    expect(operations.first).to_be_visible()
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/requests/waiting")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/matches/")
    assert operations.count() >= 3
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page, "docs drawn")

    site = str(live_server.url)  # type: ignore[attr-defined]
    elsewhere = [url for url in asked if not url.startswith(site) and not url.startswith("data:")]
    assert elsewhere == [], f"the docs page asked another site for {elsewhere}"
