import datetime as dt

from ninja import Schema
from pydantic import Field


class WaitingRequestOut(Schema):
    id: int
    program: str
    source: str
    received_at: dt.datetime
    due_at: dt.datetime
    experience: str | None


class MatchOut(Schema):
    id: int
    program: str
    status: str
    supporter: str
    started_at: dt.datetime
    minutes_logged: int


class ScorePartOut(Schema):
    criterion: str
    points: float


class CandidateOut(Schema):
    supporter_id: int
    supporter: str
    place: int
    total: float
    parts: list[ScorePartOut]
    places_in_use: int


class LeftOutOut(Schema):
    supporter_id: int
    supporter: str
    reasons: list[str]


class ShortlistOut(Schema):
    can_take_it: int
    candidates: list[CandidateOut]
    left_out: list[LeftOutOut]
    left_out_count: int


class WaitingRequestPage(Schema):
    items: list[WaitingRequestOut]
    next_cursor: str | None
    next: str | None


class MatchPage(Schema):
    items: list[MatchOut]
    next_cursor: str | None
    next: str | None


class ClientConsentIn(Schema):
    """What the client agreed to, as the referring system recorded it."""

    to_share: bool
    referrer_may_know_who: bool = False
    summary_to_referrer: bool = False


class ReferralIn(Schema):
    """A referral with the client's consent: the same answers as the referral page's form."""

    first_name: str
    last_name: str = ""
    preferred_name: str = ""
    language: str
    contact_methods: list[str]
    phone: str = ""
    email: str = ""
    best_times: str = ""
    experience_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    site_id: int | None = Field(default=None, ge=1, le=2**63 - 1)
    goals: list[str] = Field(max_length=3, description="One to three goals in the client's words.")
    consent: ClientConsentIn


class ReferralOut(Schema):
    id: int
    program_id: int
    status: str
    received_at: dt.datetime
    due_at: dt.datetime
