"""The shapes of a program's structured settings, validated when the program is saved.

Eligibility rules are data a coordinator edits; the supporters app evaluates them. Each rule has
a `kind`; `any_of` groups rules of which one must hold (a person with MS for 2 years OR a
caregiver).
"""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MinimumAge(_Rule):
    kind: Literal["minimum_age"]
    years: int = Field(ge=0, le=120)


class LivedExperience(_Rule):
    kind: Literal["lived_experience"]
    experiences: list[str] = Field(min_length=1)
    relationships: list[Literal["self", "family", "colleague"]] = Field(min_length=1)
    minimum_years: float = Field(default=0, ge=0, le=80)


class WorkRole(_Rule):
    kind: Literal["work_role"]
    roles: list[str] = Field(min_length=1)


class SelfAssessment(_Rule):
    kind: Literal["self_assessment"]
    statement: str = Field(min_length=5, max_length=500)


class AnyOf(_Rule):
    kind: Literal["any_of"]
    rules: list[
        Annotated[
            MinimumAge | LivedExperience | WorkRole | SelfAssessment, Field(discriminator="kind")
        ]
    ] = Field(min_length=2)


EligibilityRule = Annotated[
    MinimumAge | LivedExperience | WorkRole | SelfAssessment | AnyOf, Field(discriminator="kind")
]
eligibility_rules_adapter: TypeAdapter[list[EligibilityRule]] = TypeAdapter(list[EligibilityRule])


class CrisisQuestion(_Rule):
    """One crisis screening question on the request form, and which answers signal a crisis."""

    key: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    question: str = Field(min_length=5, max_length=300)
    answers: list[str] = Field(min_length=2, max_length=6)
    crisis_answers: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def crisis_answers_are_answers(self) -> "CrisisQuestion":
        unknown = [answer for answer in self.crisis_answers if answer not in self.answers]
        if unknown:
            raise ValueError(f"crisis answers must be among the answers: {', '.join(unknown)}")
        return self


crisis_questions_adapter: TypeAdapter[list[CrisisQuestion]] = TypeAdapter(list[CrisisQuestion])
