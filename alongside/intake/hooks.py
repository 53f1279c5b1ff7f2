"""What the apps above intake add to a request, registered in their AppConfig.ready.

intake sits below matching and safety, so it never imports them (docs/adr/0003): safety raises
an urgent escalation when a new request's crisis screening signals a crisis and shows it on the
page after a call; matching adds the shortlist, the open proposal and the conflict form to the
request page, and answers "why not this person?" in place on it.

Consent (ADR 0008): outcomes asks for consent to its surveys on the request forms when the
program sends them; privacy keeps what the person agreed to, in the request's transaction, says
where a purpose stands for the work that depends on it, and shows the consents on the page.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from alongside.core.consent import Agreement, GivenHow, Purpose, Standing, Wording
from alongside.core.hooks import Registry, merged

if TYPE_CHECKING:
    from alongside.accounts.models import User
    from alongside.intake.models import SupportRequest
    from alongside.programs.models import Program

# (new request, the crisis answers it signalled: (question, answer) pairs) -> anything.
CrisisHandler = Callable[["SupportRequest", list[tuple[str, str]]], object]
# (request) -> extra context for the page after a call.
CallPanel = Callable[["SupportRequest"], dict[str, Any]]
# (http request, request) -> extra context for the staff's request page.
PagePanel = Callable[[HttpRequest, "SupportRequest"], dict[str, Any]]
# (http request, request) -> a part of the request page answered in place, or None if not theirs.
InPlace = Callable[[HttpRequest, "SupportRequest"], HttpResponse | None]
# (program, how it is asked) -> the consent questions asked beside consent to support.
ConsentQuestions = Callable[["Program", GivenHow], Sequence[Wording]]
# (request, what the person agreed to, how, who recorded it) -> anything; keeps them.
ConsentKeeper = Callable[["SupportRequest", Sequence[Agreement], GivenHow, "User | None"], object]
# (request ids, purpose) -> where each request's consent to it stands, by id.
ConsentCheck = Callable[[Sequence[int], Purpose], Mapping[int, Standing]]
# Break-glass (privacy): (http request, request id the user may not see) -> the page offering
# to open it in an emergency, or None (a 404).
OutsideScope = Callable[[HttpRequest, int], HttpResponse | None]


@dataclass
class _Hooks:
    crisis_handlers: Registry[CrisisHandler] = field(default_factory=Registry)
    call_panels: Registry[CallPanel] = field(default_factory=Registry)
    page_panels: Registry[PagePanel] = field(default_factory=Registry)
    in_place: Registry[InPlace] = field(default_factory=Registry)
    consent_questions: Registry[ConsentQuestions] = field(default_factory=Registry)
    consent_keepers: Registry[ConsentKeeper] = field(default_factory=Registry)
    consent_checks: Registry[ConsentCheck] = field(default_factory=Registry)
    outside_scope: Registry[OutsideScope] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_crisis_signalled(handler: CrisisHandler) -> None:
    HOOKS.crisis_handlers.add(handler)


def on_call_taken_page(panel: CallPanel) -> None:
    HOOKS.call_panels.add(panel)


def on_request_page(panel: PagePanel, *, in_place: InPlace | None = None) -> None:
    HOOKS.page_panels.add(panel)
    if in_place is not None:
        HOOKS.in_place.add(in_place)


def crisis_signalled(support_request: "SupportRequest", answers: list[tuple[str, str]]) -> None:
    """Tells every registered app that a new request signalled a crisis (safety escalates)."""
    if not HOOKS.crisis_handlers:
        raise RuntimeError("No app handles a crisis: is alongside.safety installed?")
    for handler in HOOKS.crisis_handlers:
        handler(support_request, answers)


def call_taken_context(support_request: "SupportRequest") -> dict[str, Any]:
    return merged(HOOKS.call_panels, support_request)


def request_page_context(request: HttpRequest, support_request: "SupportRequest") -> dict[str, Any]:
    return merged(HOOKS.page_panels, request, support_request)


def request_page_in_place(
    request: HttpRequest, support_request: "SupportRequest"
) -> HttpResponse | None:
    """The part of the page an app answers in place (htmx), or None: render the whole page."""
    for part in HOOKS.in_place:
        response = part(request, support_request)
        if response is not None:
            return response
    return None


def on_consent_questions(questions: ConsentQuestions) -> None:
    HOOKS.consent_questions.add(questions)


def on_consent_given(keeper: ConsentKeeper) -> None:
    HOOKS.consent_keepers.add(keeper)


def on_consent_check(check: ConsentCheck) -> None:
    HOOKS.consent_checks.add(check)


def consent_questions(program: "Program", how: GivenHow) -> list[Wording]:
    """The consent questions the apps above ask beside consent to support (outcomes: surveys,
    when the program sends them)."""
    return [wording for questions in HOOKS.consent_questions for wording in questions(program, how)]


def consent_given(
    support_request: "SupportRequest",
    agreements: Sequence[Agreement],
    how: GivenHow,
    recorded_by: "User | None",
) -> None:
    """Hands what the person agreed to to the app that keeps it, inside the request's own
    transaction: if it cannot be kept, the request is not taken either."""
    if not HOOKS.consent_keepers:
        raise RuntimeError("No app keeps consent: is alongside.privacy installed?")
    for keeper in HOOKS.consent_keepers:
        keeper(support_request, agreements, how, recorded_by)


def consent_standings(request_ids: Sequence[int], purpose: Purpose) -> dict[int, Standing]:
    """Where each request's consent to `purpose` stands, by id; a request an app does not
    answer for has not given it. Should two apps keep consent, the stricter answer holds."""
    if not HOOKS.consent_checks:
        raise RuntimeError("No app keeps consent: is alongside.privacy installed?")
    standings = dict.fromkeys(request_ids, Standing.GIVEN)
    for check in HOOKS.consent_checks:
        answered = check(request_ids, purpose)
        for request_id in request_ids:
            standing = answered.get(request_id, Standing.NOT_GIVEN)
            standings[request_id] = max(standings[request_id], standing, key=_STRICTNESS.index)
    return standings


_STRICTNESS = [Standing.GIVEN, Standing.NOT_GIVEN, Standing.WITHDRAWN]


def consent_standing(support_request: "SupportRequest", purpose: Purpose) -> Standing:
    """Where the request's consent to `purpose` stands (privacy keeps it)."""
    return consent_standings([support_request.pk], purpose)[support_request.pk]


def on_request_outside_scope(page: OutsideScope) -> None:
    HOOKS.outside_scope.add(page)


def request_outside_scope(request: HttpRequest, request_id: int) -> HttpResponse | None:
    """Where a request the user may not see sends them instead of a 404 (privacy's break-glass
    page, to a member of its program whose scope hides it), or None: a 404."""
    for page in HOOKS.outside_scope:
        response = page(request, request_id)
        if response is not None:
            return response
    return None
