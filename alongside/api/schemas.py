import datetime as dt

from ninja import Schema


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
