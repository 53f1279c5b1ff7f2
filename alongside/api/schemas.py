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
