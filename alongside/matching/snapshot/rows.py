"""One program's supporters as plain rows, read from values: no model object per row.

A few queries read what the snapshot needs of every supporter of a program (their own fields,
their lived experiences, the hours they gave this past month, who passes the readiness gate),
each filtered by program through a join, never by a list of every id, so no query grows with
the program (SQLite allows 32,766 variables in one). With `only`, four queries read a few
supporters: how one supporter's change is applied to the stored snapshot (`store.py`).

A `Row` holds plain numbers and strings (a role or region in its normal form, experiences by
family slug); `table.py` turns rows into the pool's arrays in the codes of one vocabulary.
"""

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery, Sum, TextField
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from alongside.core.prepared import Prepared
from alongside.matches.models import ContactLog
from alongside.matching.scoring import NONE, RELATIONSHIP_BITS
from alongside.matching.snapshot.encoding import (
    GENDER_BITS,
    GENDER_CODES,
    GONE,
    LANGUAGE_BITS,
    METHOD_BITS,
    bits_of,
    normal,
    offset_minutes,
    zone_or,
)
from alongside.programs.models import Experience, Program
from alongside.supporters.availability import parse_windows, week_mask
from alongside.supporters.gate import readiness_of_a_few
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus
from alongside.supporters.ready import ready_ids

# The pool's one-number columns a row gives as numbers (role and region come as words).
NUMBER_COLUMNS = (
    "languages",
    "methods",
    "site",
    "utc_offset_minutes",
    "birth_year",
    "gender",
    "availability",
    "capacity",
    "accepts_genders",
    "accepts_relationships",
)


def _as_text(name: str) -> Cast:
    """A JSON field as its stored text: thousands of supporters share a few values, so each
    distinct text is decoded once (`_Encoder.decoded`) rather than once a row."""
    return Cast(name, output_field=TextField())


_FIELDS = (
    "pk",
    "status",
    "away_until",
    "work_role",
    "region",
    "site__region",
    "site_id",
    _as_text("languages"),
    _as_text("contact_methods"),
    "time_zone",
    "birth_year",
    "gender",
    _as_text("availability"),
    "max_concurrent_matches",
    _as_text("supports_genders"),
    _as_text("supports_relationships"),
    "expected_hours_per_month",
)


@dataclass(frozen=True)
class Row:
    """One supporter as the snapshot holds them, in plain values."""

    id: int
    numbers: tuple[int, ...]  # NUMBER_COLUMNS, in order
    role: str  # in its normal form; "" when none
    region: str  # their own, or else their site's, in its normal form; "" when none
    experiences: tuple[tuple[str, int, float], ...]  # (family slug, relationship bits, years)
    ready: bool  # active, not away, and through the readiness gate
    gone: bool  # alumni, withdrawn, or deleted: never worth a "why not" line
    pledge_used: float

    @classmethod
    def removed(cls, supporter_id: int) -> "Row":
        """A deleted supporter: kept in their place, never ready, never shown."""
        numbers = tuple(NONE if name in ("site", "gender") else 0 for name in NUMBER_COLUMNS)
        return cls(supporter_id, numbers, "", "", (), ready=False, gone=True, pledge_used=0.0)


class _Encoder:
    """Turns one supporter's values into a row; remembers what many supporters share."""

    def __init__(self, program: Program, now: dt.datetime) -> None:
        self.zone = program.calendar.zone
        self.now = now
        self.today = timezone.localdate(now, self.zone)
        self._zones: dict[str, tuple[ZoneInfo, int]] = {}
        self._masks: dict[tuple[str, str], int] = {}
        self._bits: dict[tuple[str, int], int] = {}

    def _zone_of(self, name: str) -> tuple[ZoneInfo, int]:
        if name not in self._zones:
            zone = zone_or(name, self.zone)
            self._zones[name] = (zone, offset_minutes(zone, self.now))
        return self._zones[name]

    def _mask(self, availability: str, zone_name: str, zone: ZoneInfo) -> int:
        key = (availability, zone_name)
        if key not in self._masks:
            windows = parse_windows(json.loads(availability) if availability else [])
            self._masks[key] = week_mask(windows, zone, self.now)
        return self._masks[key]

    def _bits_of(self, values: str | None, codes: dict[str, int]) -> int:
        key = (values or "", id(codes))
        if key not in self._bits:
            self._bits[key] = bits_of(json.loads(values) if values else [], codes)
        return self._bits[key]

    def row(
        self,
        values: tuple[Any, ...],
        experiences: tuple[tuple[str, int, float], ...],
        hours: Decimal,
        ready: bool,
    ) -> Row:
        (pk, status, away_until, work_role, region, site_region, site_id, languages, methods) = (
            values[:9]
        )
        (zone_name, birth_year, gender, availability, capacity, genders, relationships) = values[
            9:16
        ]
        pledged: Decimal | None = values[16]
        zone, offset = self._zone_of(zone_name)
        # Their own region, or else their site's (as `encoding._region_of`).
        region_text = region or site_region or ""
        numbers = (
            self._bits_of(languages, LANGUAGE_BITS),
            self._bits_of(methods, METHOD_BITS),
            site_id or NONE,
            offset,
            birth_year or 0,
            GENDER_CODES.get(gender, NONE),
            self._mask(availability, zone_name, zone),
            capacity,
            self._bits_of(genders, GENDER_BITS),
            self._bits_of(relationships, RELATIONSHIP_BITS),
        )
        available = status == SupporterStatus.ACTIVE and not (
            away_until and away_until >= self.today
        )
        return Row(
            id=pk,
            numbers=numbers,
            role=normal(work_role) if work_role.strip() else "",
            region=normal(region_text) if region_text.strip() else "",
            experiences=experiences,
            ready=available and ready,
            gone=status in GONE,
            pledge_used=float(hours / pledged) if pledged else 0.0,
        )


def _few_experiences(*, program_id: int, ids: Sequence[int]) -> QuerySet[Any]:
    family = Coalesce("experience__allied_to__slug", "experience__slug")
    return (
        LivedExperience.objects.filter(supporter__program_id=program_id, supporter__in=ids)
        .order_by("pk")
        .values_list("supporter_id", family, "relationship", "since")
    )


def _few_supporters(*, program_id: int, ids: Sequence[int], since: dt.datetime) -> QuerySet[Any]:
    """Their values, then when they joined and the minutes they gave since `since`."""
    minutes = (
        _contacts_since(since)
        .filter(match__supporter=OuterRef("pk"))
        .order_by()
        .values("match__supporter")
        .annotate(minutes=Sum("minutes"))
        .values("minutes")
    )
    return (
        Supporter.objects.filter(program_id=program_id, pk__in=ids)
        .annotate(minutes=Coalesce(Subquery(minutes), 0))
        .order_by("pk")
        .values_list(*_FIELDS, "created_at", "minutes")
    )


# Compiled once: a supporter's save reads these for the matching snapshot (store.log_change).
_FEW_EXPERIENCES, _FEW_SUPPORTERS = Prepared(_few_experiences), Prepared(_few_supporters)


def _experiences(
    program_id: int, today: dt.date, only: Sequence[int] | None
) -> dict[int, tuple[tuple[str, int, float], ...]]:
    """Each supporter's families of lived experience: how they relate, and for how long."""
    lived = LivedExperience.objects.filter(supporter__program_id=program_id)
    if only is None:
        # The experiences are few (a shared list): for a whole program their families are read
        # once, not joined to each of its thousands of rows.
        family_of = dict(Experience.objects.values_list("pk", Coalesce("allied_to__slug", "slug")))
        rows = [
            (supporter_id, family_of[experience_id], relationship, since)
            for supporter_id, experience_id, relationship, since in lived.order_by(
                "pk"
            ).values_list("supporter_id", "experience_id", "relationship", "since")
        ]
    else:
        # A few supporters' rows are few: joined, in one query.
        rows = _FEW_EXPERIENCES(program_id=program_id, ids=list(only))
    families: dict[int, dict[str, tuple[int, float]]] = {}
    for supporter_id, family_slug, relationship, since in rows:
        own = families.setdefault(supporter_id, {})
        bits, years = own.get(family_slug, (0, 0.0))
        if since:
            years = max(years, (today - since).days / 365.25)
        own[family_slug] = (bits | RELATIONSHIP_BITS.get(relationship, 0), years)
    return {
        supporter_id: tuple((family, bits, years) for family, (bits, years) in own.items())
        for supporter_id, own in families.items()
    }


def _contacts_since(since: dt.datetime) -> QuerySet[ContactLog]:
    return ContactLog.objects.filter(occurred_at__gte=since)


def _hours(program_id: int, since: dt.datetime) -> dict[int, Decimal]:
    contacts = _contacts_since(since).filter(match__supporter__program_id=program_id)
    rows = contacts.values_list("match__supporter_id").annotate(minutes=Sum("minutes"))
    return {supporter_id: Decimal(minutes) / 60 for supporter_id, minutes in rows}


def read_rows(
    program: Program, now: dt.datetime, *, only: Sequence[int] | None = None
) -> list[Row]:
    """The program's supporters (or `only` those, a few) as rows, in the order of their ids."""
    if only is not None:
        return _read_a_few(program, now, only)
    encoder = _Encoder(program, now)
    supporters = Supporter.objects.filter(program_id=program.pk)
    experiences = _experiences(program.pk, encoder.today, None)
    hours = _hours(program.pk, now - dt.timedelta(30))
    ready = ready_ids(program.pk, encoder.today)
    return [
        encoder.row(
            values,
            experiences.get(values[0], ()),
            hours.get(values[0], Decimal(0)),
            values[0] in ready,
        )
        for values in supporters.order_by("pk").values_list(*_FIELDS)
    ]


def _read_a_few(program: Program, now: dt.datetime, only: Sequence[int]) -> list[Row]:
    """A few supporters' rows in four queries (how one supporter's change reaches the stored
    snapshot, so a save pays little): their values with this month's minutes as a column,
    their experiences joined to their families, and the gate's own rules on their records
    (`readiness_of_a_few`: the program's steps and trainings, then their records)."""
    encoder = _Encoder(program, now)
    found = _FEW_SUPPORTERS(program_id=program.pk, ids=list(only), since=now - dt.timedelta(30))
    if not found:
        return []
    experiences = _experiences(program.pk, encoder.today, only)
    gate = readiness_of_a_few(
        program,
        [Supporter(pk=values[0], created_at=values[-2]) for values in found],
        encoder.today,
    )
    return [
        encoder.row(
            values[:-2],
            experiences.get(values[0], ()),
            Decimal(values[-1]) / 60,
            gate[values[0]].is_ready,
        )
        for values in found
    ]
