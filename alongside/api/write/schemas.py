"""The bodies the write endpoints take and answer: the same answers as the pages' forms."""

import datetime as dt
from typing import Annotated

from ninja import Schema
from pydantic import Field

MOST_ID = 2**63 - 1


class RequestConsentIn(Schema):
    """What the person agreed to: as the call-taker read it to them, or as they ticked it on
    the partner's form."""

    to_support: bool = Field(description="Consent to support: a request is not taken without it.")
    also: list[str] = Field(
        default=[],
        description="The other consent questions the program asks that they agreed to, by "
        'purpose (for example "surveys").',
    )


class RequestIn(Schema):
    """A request for support: the request form's answers (the public form's, or the call
    page's)."""

    crisis_answers: dict[str, str] = Field(
        default={}, description="The answer to each of the program's crisis questions, by key."
    )
    first_name: str
    email: str = ""
    phone: str = ""
    contact_methods: list[str]
    language: str
    experience_id: int | None = Field(default=None, ge=1, le=MOST_ID)
    relationship: str
    since_year: int | None = None
    work_role: str = ""
    site_id: int | None = Field(default=None, ge=1, le=MOST_ID)
    availability: list[str] = []
    gender: str = ""
    birth_year: int | None = None
    wanted_gender: str = ""
    wanted_gender_is_firm: bool = False
    about: str = ""
    preferences: str = ""
    consent: RequestConsentIn


class PhoneRequestIn(RequestIn):
    """A request for support taken on the phone: the call page's answers. Times without an
    offset are on the program's clock, as the page types them."""

    call_started_at: dt.datetime = Field(description="The promise to match counts from it.")
    call_back_at: dt.datetime | None = None
    best_times: str = ""


class RequestOut(Schema):
    id: int
    program_id: int
    source: str
    status: str
    received_at: dt.datetime
    due_at: dt.datetime
    crisis_signalled: bool = Field(
        description="The crisis screening signalled a crisis: the program was alerted."
    )


class ContactIn(Schema):
    """A contact (or an attempt) with the person, as the "Log a contact" page takes it. A time
    without an offset is on the program's clock."""

    occurred_at: dt.datetime
    was_made: bool = Field(description="True: they talked; false: tried, could not reach them.")
    minutes: int
    method: str
    support_types: list[str] = []
    note: str = Field(default="", description="Private: only its writer and the coordinators.")
    resource_ids: list[Annotated[int, Field(ge=1, le=MOST_ID)]] = []
    follow_up_on: dt.date | None = None
    follow_up_what: str = ""
    needs_coordinator: bool = False
    is_urgent: bool = False
    what_happened: str = ""


class ContactOut(Schema):
    id: int
    match_id: int
    occurred_at: dt.datetime
    was_made: bool
    minutes: int
    method: str
    needs_coordinator: bool = Field(description="The coordinator was told (an escalation).")


class HoursIn(Schema):
    """A month's hours and conversations, as the supporter confirms (or adjusts) them on the
    monthly hours page."""

    hours: float = Field(description="0 to 300, to one decimal.")
    contacts: int
    anything_to_know: str = ""


class HoursReportOut(Schema):
    id: int
    month: dt.date
    confirmed_at: dt.datetime
    confirmed_minutes: int
    confirmed_contacts: int
    logged_minutes: int
    logged_contacts: int


class ProposalAnswerIn(Schema):
    """The supporter's answer to a matching proposal, as on the proposal's page."""

    accept: bool
    reason: str = Field(default="", description="Why not: needed to decline.")


class ProposalAnswerOut(Schema):
    id: int
    status: str
    responded_at: dt.datetime
