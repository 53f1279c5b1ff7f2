"""What outcomes adds to a match's life: questionnaires at its moments, answers on its page;
and to a request form: the question asking consent to questionnaires.

Registered with matches and intake (below us) in OutcomesConfig.ready; see
alongside/matches/hooks.py and alongside/intake/hooks.py.
"""

from typing import Any

from alongside.intake.hooks import on_consent_questions
from alongside.matches.hooks import Moment, on_match_page, on_moment
from alongside.matches.models import Match
from alongside.outcomes.consent import surveys_consent_asked
from alongside.outcomes.models import Occasion
from alongside.outcomes.queries import changes_from, surveys_for_match
from alongside.outcomes.services import send_surveys


def send_surveys_at(match: Match, moment: Moment, month: int) -> None:
    send_surveys(match=match, occasion=Occasion(moment.value), month=month)


def match_page_panel(match: Match, is_staff: bool) -> dict[str, Any]:
    """The outcome changes and questionnaires sent, for staff only (one query)."""
    if not is_staff:
        return {"outcome_changes": [], "surveys": []}
    surveys = list(surveys_for_match(match.pk))
    return {"outcome_changes": changes_from(surveys), "surveys": surveys}


def register() -> None:
    on_moment(send_surveys_at)
    on_match_page(match_page_panel)
    on_consent_questions(surveys_consent_asked)
