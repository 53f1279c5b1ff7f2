"""The instruments Alongside ships with: their items and scoring rules, as data.

The migration seeds them; tests and the demo call `seed_instruments` again, because a test that
flushes the database also removes what migrations seeded.
"""

from typing import Any

ALWAYS = [
    {"value": 1, "label": "Hardly ever"},
    {"value": 2, "label": "Some of the time"},
    {"value": 3, "label": "Often"},
]
FIVE = [
    {"value": 1, "label": "None of the time"},
    {"value": 2, "label": "Rarely"},
    {"value": 3, "label": "Some of the time"},
    {"value": 4, "label": "Often"},
    {"value": 5, "label": "All of the time"},
]
SATISFIED = [
    {"value": 1, "label": "Not at all"},
    {"value": 2, "label": "A little"},
    {"value": 3, "label": "Somewhat"},
    {"value": 4, "label": "Mostly"},
    {"value": 5, "label": "Completely"},
]

INSTRUMENTS = [
    {
        "slug": "loneliness-3",
        "name": "Three-item loneliness scale",
        "measures": "loneliness",
        "introduction": "How often do you feel this way?",
        "items": [
            {
                "key": "companionship",
                "text": "How often do you feel that you lack companionship?",
                "choices": ALWAYS,
            },
            {"key": "left_out", "text": "How often do you feel left out?", "choices": ALWAYS},
            {
                "key": "isolated",
                "text": "How often do you feel isolated from others?",
                "choices": ALWAYS,
            },
        ],
        "scoring": {"method": "sum", "reverse_items": [], "higher_is_better": False},
    },
    {
        "slug": "wellbeing-short",
        "name": "Short wellbeing scale",
        "measures": "wellbeing",
        "introduction": "Over the last two weeks, how often have you…",
        "items": [
            {"key": "optimistic", "text": "…felt optimistic about the future?", "choices": FIVE},
            {"key": "useful", "text": "…felt useful?", "choices": FIVE},
            {"key": "relaxed", "text": "…felt relaxed?", "choices": FIVE},
            {"key": "coping", "text": "…dealt with problems well?", "choices": FIVE},
            {"key": "close", "text": "…felt close to other people?", "choices": FIVE},
        ],
        "scoring": {"method": "sum", "reverse_items": [], "higher_is_better": True},
    },
    {
        "slug": "satisfaction",
        "name": "Satisfaction with peer support",
        "measures": "satisfaction",
        "introduction": "Thinking about the support you received…",
        "items": [
            {
                "key": "helpful",
                "text": "How helpful was your peer supporter?",
                "choices": SATISFIED,
            },
            {
                "key": "recommend",
                "text": "Would you recommend the program to someone like you?",
                "choices": SATISFIED,
            },
        ],
        "scoring": {"method": "mean", "reverse_items": [], "higher_is_better": True},
    },
]


def seed_instruments(instrument_model: Any) -> None:
    """Create or refresh the shipped instruments (takes the model, so migrations can call it)."""
    for fields in INSTRUMENTS:
        instrument_model.objects.update_or_create(slug=fields["slug"], defaults=fields)
