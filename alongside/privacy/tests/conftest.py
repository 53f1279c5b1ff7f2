import uuid

import pytest

from alongside.core.consent import GivenHow
from alongside.intake import services as intake
from alongside.intake.models import Source, SupportRequest
from alongside.outcomes.consent import SURVEYS_CONSENT
from alongside.outcomes.factories import ProgramInstrumentFactory
from alongside.programs.models import ContactMethod, Language, Program, Relationship
from alongside.referrals.tests.conftest import referrer_a, referring_program

__all__ = ["ask", "referrer_a", "referring_program", "surveying_program"]


def ask(program: Program, *, surveys: bool = False, **overrides: object) -> SupportRequest:
    """A request from the public form with its consent box ticked; with `surveys`, the box
    agreeing to questionnaires ticked too, as the form shows it when the program sends them."""
    answers: dict[str, object] = {
        "program": program,
        "source": Source.PUBLIC_FORM,
        "submission_token": uuid.uuid4(),
        "first_name": "Jordan",
        "email": f"jordan.{uuid.uuid4().hex[:8]}@example.net",
        "contact_methods": [ContactMethod.EMAIL],
        "language": Language.ENGLISH,
        "experience": program.experiences.first(),
        "relationship": Relationship.SELF,
        "consent": True,
        "also_agreed": [SURVEYS_CONSENT[GivenHow.ONLINE_FORM].agreed()] if surveys else [],
    }
    return intake.submit_support_request(**(answers | overrides))


@pytest.fixture
def surveying_program(program_a: Program) -> Program:
    """Program A, sending a questionnaire at the start, at each milestone and at closure."""
    ProgramInstrumentFactory(program=program_a, at_start=True, at_milestones=True, at_closure=True)
    return program_a
