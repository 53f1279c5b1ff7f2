"""A simple, explained score for one request and one supporter. Pure: no database.

The matching issue replaces this with program-weighted scoring over arrays; the shape stays:
a total and the parts it is made of, each in words a coordinator understands.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class RequestFeatures:
    experience_family: str | None
    relationship: str
    work_role: str
    site_id: int | None
    language: str
    contact_methods: frozenset[str]


@dataclass(frozen=True)
class SupporterFeatures:
    experience_families: frozenset[tuple[str, str]]  # (experience family, relationship)
    work_role: str
    site_id: int | None
    languages: frozenset[str]
    contact_methods: frozenset[str]
    open_matches: int
    capacity: int


@dataclass(frozen=True)
class ScorePart:
    label: str
    points: int


@dataclass(frozen=True)
class Score:
    parts: tuple[ScorePart, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)


SHARED_EXPERIENCE = 40
SAME_RELATIONSHIP = 20
SIMILAR_ROLE = 15
DIFFERENT_SITE = 5
PER_FREE_PLACE = 5


def score(request: RequestFeatures, supporter: SupporterFeatures) -> Score:
    """How well a supporter fits a request, with the reason for every point."""
    parts: list[ScorePart] = []
    families = {family for family, _relationship in supporter.experience_families}
    if request.experience_family and request.experience_family in families:
        parts.append(ScorePart(_("Shares the same lived experience"), SHARED_EXPERIENCE))
        if (request.experience_family, request.relationship) in supporter.experience_families:
            parts.append(ScorePart(_("Relates to it the same way"), SAME_RELATIONSHIP))
    if request.work_role and request.work_role.casefold() == supporter.work_role.casefold():
        parts.append(ScorePart(_("Works in a similar role"), SIMILAR_ROLE))
    if request.site_id and supporter.site_id and request.site_id != supporter.site_id:
        parts.append(ScorePart(_("Works at another site"), DIFFERENT_SITE))
    free_places = max(supporter.capacity - supporter.open_matches, 0)
    if free_places:
        parts.append(
            ScorePart(_("Has room for more matches"), PER_FREE_PLACE * min(free_places, 3))
        )
    return Score(parts=tuple(parts))


def reasons_not_eligible(request: RequestFeatures, supporter: SupporterFeatures) -> list[str]:
    """The hard rules a supporter fails for this request, in plain words (empty when none)."""
    reasons: list[str] = []
    if request.language not in supporter.languages:
        reasons.append(_("does not speak the person's language"))
    if request.contact_methods and not request.contact_methods & supporter.contact_methods:
        reasons.append(_("offers none of the ways the person wants to be contacted"))
    if supporter.open_matches >= supporter.capacity:
        reasons.append(_("has no room for another match"))
    return reasons
