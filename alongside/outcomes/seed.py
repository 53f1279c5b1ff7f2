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


# The shipped instruments in Canadian French: their names, introductions, items (by key) and the
# answers' labels (by their English label), as `Instrument.translations` keeps them (ADR 0004).
_FRENCH_LABELS = {
    "Hardly ever": "Presque jamais",
    "Some of the time": "Parfois",
    "Often": "Souvent",
    "None of the time": "Jamais",
    "Rarely": "Rarement",
    "All of the time": "Tout le temps",
    "Not at all": "Pas du tout",
    "A little": "Un peu",
    "Somewhat": "Assez",
    "Mostly": "En grande partie",
    "Completely": "Tout à fait",
}
TRANSLATIONS: dict[str, dict[str, Any]] = {
    "loneliness-3": {
        "fr": {
            "name": "Échelle de solitude en trois questions",
            "introduction": "À quelle fréquence vous sentez-vous ainsi?",
            "items": {
                "companionship": "À quelle fréquence avez-vous l'impression de manquer de "
                "compagnie?",
                "left_out": "À quelle fréquence avez-vous l'impression qu'on vous laisse de côté?",
                "isolated": "À quelle fréquence ressentez-vous de l'isolement?",
            },
            "labels": _FRENCH_LABELS,
        }
    },
    "wellbeing-short": {
        "fr": {
            "name": "Courte échelle de bien-être",
            "introduction": "Au cours des deux dernières semaines, à quelle fréquence avez-vous…",
            "items": {
                "optimistic": "…eu confiance en l'avenir?",
                "useful": "…eu le sentiment d'être utile?",
                "relaxed": "…pu vous détendre?",
                "coping": "…bien fait face à vos problèmes?",
                "close": "…eu le sentiment d'être proche des autres?",
            },
            "labels": _FRENCH_LABELS,
        }
    },
    "satisfaction": {
        "fr": {
            "name": "Satisfaction à l'égard du soutien par les pairs",
            "introduction": "En pensant au soutien que vous avez reçu…",
            "items": {
                "helpful": "Dans quelle mesure votre personne paire aidante vous a-t-elle été "
                "utile?",
                "recommend": "Recommanderiez-vous le programme à une personne qui vit la même "
                "chose que vous?",
            },
            "labels": _FRENCH_LABELS,
        }
    },
}


def seed_instruments(instrument_model: Any) -> None:
    """Create or refresh the shipped instruments (takes the model, so migrations can call it),
    with their French once the model keeps translations."""
    keeps_translations = any(
        field.name == "translations" for field in instrument_model._meta.get_fields()
    )
    for fields in INSTRUMENTS:
        defaults = dict(fields)
        if keeps_translations:
            defaults["translations"] = TRANSLATIONS.get(str(fields["slug"]), {})
        instrument_model.objects.update_or_create(slug=fields["slug"], defaults=defaults)
