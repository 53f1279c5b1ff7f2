"""A program's questions as a reader reads them: its crisis screening questions and the
statements its applicants agree with, in the reader's language else the program's main one.

The program keeps them in its main language (`crisis_questions`, `eligibility_rules`); their
other languages are phrases of `translations` (ADR 0004), keyed by what does not change between
languages: a question by its key, an answer and a statement by their main-language text. An
answer is stored as its main-language text, whatever language it was chosen in.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from alongside.programs.configuration import AnyOf, SelfAssessment, eligibility_rules_adapter
from alongside.programs.content import Text
from alongside.programs.models import Program

QUESTIONS = "crisis_questions"
ANSWERS = "crisis_answers"
STATEMENTS = "statements"


@dataclass(frozen=True)
class ShownQuestion:
    """A crisis screening question: its key, its words, and its answers as (stored, shown)."""

    key: str
    question: Text
    answers: list[tuple[str, Text]]
    crisis_answers: list[str]


def crisis_questions_in(program: Program, language: str | None = None) -> list[ShownQuestion]:
    """The program's crisis questions in `language` (the page's unless named)."""
    return [
        ShownQuestion(
            key=question["key"],
            question=program.phrase_in(QUESTIONS, question["key"], question["question"], language),
            answers=[
                (answer, program.phrase_in(ANSWERS, answer, answer, language))
                for answer in question["answers"]
            ],
            crisis_answers=list(question["crisis_answers"]),
        )
        for question in program.crisis_questions or []
    ]


def crisis_answer_texts(program: Program) -> list[str]:
    """Every answer of the program's crisis questions, each once, in their order."""
    return list(
        dict.fromkeys(
            answer for question in program.crisis_questions or [] for answer in question["answers"]
        )
    )


def statements_of(rules: Sequence[object]) -> list[str]:
    """The statements applicants agree with, in the rules' order, each once."""
    parsed = eligibility_rules_adapter.validate_python(list(rules))
    found: list[str] = []
    for rule in parsed:
        inner = rule.rules if isinstance(rule, AnyOf) else [rule]
        found += [item.statement for item in inner if isinstance(item, SelfAssessment)]
    return list(dict.fromkeys(found))


def statement_in(program: Program, statement: str, language: str | None = None) -> Text:
    """A statement of the program's rules in `language` (the page's unless named)."""
    return program.phrase_in(STATEMENTS, statement, statement, language)
