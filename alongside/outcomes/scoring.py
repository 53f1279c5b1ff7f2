"""An instrument's items and scoring rules are data; this module checks their shape and scores.

Pure: no ORM. An instrument has items, each with its choices (a value and a label), and a rule:
`sum` or `mean` of the chosen values, with some items reverse-scored.
"""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator


class _Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Choice(_Shape):
    value: int = Field(ge=0, le=100)
    label: str = Field(min_length=1, max_length=120)


class Item(_Shape):
    key: str = Field(pattern=r"^[a-z0-9_]{1,40}$")
    text: str = Field(min_length=3, max_length=300)
    choices: list[Choice] = Field(min_length=2, max_length=11)


class ScoringRule(_Shape):
    method: Literal["sum", "mean"]
    reverse_items: list[str] = Field(default_factory=list)
    higher_is_better: bool


class InstrumentShape(_Shape):
    items: list[Item] = Field(min_length=1, max_length=30)
    scoring: ScoringRule

    @model_validator(mode="after")
    def items_are_distinct_and_reversals_known(self) -> "InstrumentShape":
        keys = [item.key for item in self.items]
        if len(set(keys)) != len(keys):
            raise ValueError("each item needs its own key")
        unknown = set(self.scoring.reverse_items) - set(keys)
        if unknown:
            raise ValueError(f"reverse-scored items not among the items: {sorted(unknown)}")
        return self


items_adapter: TypeAdapter[list[Item]] = TypeAdapter(list[Item])
scoring_adapter: TypeAdapter[ScoringRule] = TypeAdapter(ScoringRule)


class AnswerError(ValueError):
    """An answer set that does not fit the instrument."""


def score(items: list[Item], rule: ScoringRule, answers: dict[str, int]) -> Decimal:
    """The instrument's score for one complete set of answers."""
    values: list[int] = []
    for item in items:
        allowed = [choice.value for choice in item.choices]
        if item.key not in answers or answers[item.key] not in allowed:
            raise AnswerError(item.key)
        value = answers[item.key]
        if item.key in rule.reverse_items:
            value = min(allowed) + max(allowed) - value
        values.append(value)
    total = Decimal(sum(values))
    if rule.method == "mean":
        return (total / len(values)).quantize(Decimal("0.01"))
    return total
