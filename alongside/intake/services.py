import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.consent import Agreement, Purpose
from alongside.core.errors import DomainError
from alongside.core.repeats import REPEAT_WINDOW, fingerprint, window_of, windows_to_search
from alongside.intake import hooks, messages
from alongside.intake.consent import GIVEN_HOW, SUPPORT_WORDING
from alongside.intake.models import Peer, Referral, RequestStatus, Source, SupportRequest
from alongside.intake.queries import peer_contact
from alongside.notifications.notify import CHANNEL, notify
from alongside.notifications.team import tell_coordinators
from alongside.notifications.webhooks.services import emit_event
from alongside.programs.models import Experience, Program, Relationship, Site


def _ensure_program_accepts(program: Program, source: Source | str) -> None:
    if not program.is_active:
        raise DomainError(
            _("%(program)s is not taking requests at the moment.") % {"program": program}
        )
    if source == Source.PUBLIC_FORM and not program.accepts_public_requests:
        raise DomainError(_("%(program)s takes requests by referral only.") % {"program": program})
    if source == Source.PHONE and not program.accepts_phone_requests:
        raise DomainError(_("%(program)s does not take requests by phone.") % {"program": program})
    if source == Source.REFERRAL and not program.accepts_referrals:
        raise DomainError(_("%(program)s does not take referrals.") % {"program": program})


def submit_support_request(
    *,
    program: Program,
    source: Source,
    submission_token: uuid.UUID,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    contact_methods: list[str],
    language: str,
    experience: Experience | None,
    relationship: Relationship | str,
    experience_since: dt.date | None = None,
    work_role: str = "",
    site: Site | None = None,
    about: str = "",
    preferences: str = "",
    gender: str = "",
    birth_year: int | None = None,
    wanted_gender: str = "",
    wanted_gender_is_firm: bool = False,
    availability: list[str] | None = None,
    consent: bool,
    also_agreed: Sequence[Agreement] = (),
    entered_by: User | None = None,
    referred_by: User | None = None,
    received_at: dt.datetime | None = None,
    call_back_at: dt.datetime | None = None,
    best_times: str = "",
) -> SupportRequest:
    """Record a request with its consents (`consent` to support, `also_agreed`), tell its
    coordinators, thank the person; a repeat returns the first (_submit_unless_repeated)."""
    asked = SupportRequest(
        program=program,
        peer=Peer(
            first_name=first_name, last_name=last_name, email=email, phone=phone, language=language
        ),
        source=source,
        submission_token=submission_token,
        contact_methods=contact_methods,
        language=language,
        experience=experience,
        relationship=relationship,
        experience_since=experience_since,
        work_role=work_role,
        site=site,
        about=about,
        preferences=preferences,
        gender=gender,
        birth_year=birth_year,
        wanted_gender=wanted_gender,
        wanted_gender_is_firm=wanted_gender_is_firm and bool(wanted_gender),
        availability=availability or [],
        entered_by=entered_by,
        referred_by=referred_by,
        call_back_at=call_back_at,
        best_times=best_times,
    )
    return _submit_unless_repeated(asked, _agreed(source, consent, also_agreed), received_at)


def _agreed(source: Source, consent: bool, also_agreed: Sequence[Agreement]) -> list[Agreement]:
    """What the person agreed to: support in the words of the way they asked (intake.consent),
    then the rest; nothing without their yes to support."""
    if any(agreement.purpose == Purpose.SUPPORT for agreement in also_agreed):
        raise ValueError("Consent to support is the `consent` box, in its own words.")
    return [SUPPORT_WORDING[source].agreed(), *also_agreed] if consent else []


# How long after a call its request may still be entered with the call's own start time.
LATEST_CALL_ENTRY = dt.timedelta(days=7)


def take_phone_request(
    *,
    program: Program,
    taken_by: User,
    call_started_at: dt.datetime,
    call_back_at: dt.datetime | None = None,
    best_times: str = "",
    **answers: Any,
) -> SupportRequest:
    """Record a request a coordinator took on the phone; the promise counts from the start of
    the call. Tells the program's coordinators and thanks the person, as the public form does.

    `answers` are submit_support_request's: the same questions, asked in the call.
    """
    _ensure_call_times_hold(call_started_at, call_back_at)
    return submit_support_request(
        program=program,
        source=Source.PHONE,
        entered_by=taken_by,
        received_at=call_started_at,
        call_back_at=call_back_at,
        best_times=best_times,
        **answers,
    )


def _ensure_call_times_hold(call_started_at: dt.datetime, call_back_at: dt.datetime | None) -> None:
    now = timezone.now()
    if call_started_at > now:
        raise DomainError(_("The call cannot start in the future."))
    if call_started_at < now - LATEST_CALL_ENTRY:
        raise DomainError(
            _("A call is entered within %(days)s days: this one started earlier.")
            % {"days": LATEST_CALL_ENTRY.days}
        )
    if call_back_at is not None and call_back_at <= call_started_at:
        raise DomainError(_("The time to call back must come after the call started."))


def _submit_unless_repeated(
    asked: SupportRequest, agreed: Sequence[Agreement], received_at: dt.datetime | None = None
) -> SupportRequest:
    """Save the request as asked with the consents agreed, or return the first copy when the
    form (same token) or the answers (within REPEAT_WINDOW) repeat, recording nothing more.
    The promise counts from `received_at` (a call's start), else now; a gender wish is firm
    only when one is named."""
    existing = SupportRequest.objects.filter(submission_token=asked.submission_token).first()
    if existing is not None:
        return existing
    _ensure_request_can_be_taken(asked, consent=bool(agreed))
    now = timezone.now()
    answers = request_fingerprint(
        program=asked.program,
        email=asked.peer.email,
        phone=asked.peer.phone,
        experience=asked.experience,
        about=asked.about,
        preferences=asked.preferences,
    )
    earlier = _same_answers_lately(answers, now)
    if earlier is not None:
        return earlier
    try:
        with transaction.atomic():
            return _create_request(
                asked,
                agreed=agreed,
                answers_fingerprint=answers,
                now=now,
                received_at=received_at or now,
            )
    except IntegrityError:
        # Two copies of one form (one token, or the same answers) raced; the first one won.
        first = SupportRequest.objects.filter(
            Q(submission_token=asked.submission_token)
            | Q(answers_fingerprint=answers, answers_window=window_of(now))
        ).first()
        if first is None:
            raise
        return first


def _ensure_request_can_be_taken(asked: SupportRequest, *, consent: bool) -> None:
    _ensure_program_accepts(asked.program, asked.source)
    if not consent:
        raise DomainError(_("We can only take a request with the person's consent."))
    if not (asked.peer.email or asked.peer.phone):
        raise DomainError(_("We need an e-mail address or a phone number to reach the person."))


def request_fingerprint(
    *,
    program: Program,
    email: str,
    phone: str,
    experience: Experience | None,
    about: str,
    preferences: str,
) -> str:
    """Who is asking (their contact details) and what they asked, as a keyed digest."""
    return fingerprint(
        "intake.request",
        program.pk,
        email,
        phone,
        experience.pk if experience else "",
        about,
        preferences,
    )


def _same_answers_lately(answers: str, now: dt.datetime) -> SupportRequest | None:
    return (
        SupportRequest.objects.filter(
            answers_fingerprint=answers,
            answers_window__in=windows_to_search(now),
            received_at__gt=now - REPEAT_WINDOW,
        )
        .order_by("received_at")
        .first()
    )


def _create_request(
    support_request: SupportRequest,
    *,
    agreed: Sequence[Agreement],
    answers_fingerprint: str,
    now: dt.datetime,
    received_at: dt.datetime,
) -> SupportRequest:
    program = support_request.program
    peer = support_request.peer
    peer.program = program
    peer.save()
    support_request.status = RequestStatus.NEW
    support_request.answers_fingerprint = answers_fingerprint
    support_request.answers_window = window_of(now)
    support_request.consent_given_at = now
    support_request.received_at = received_at
    support_request.due_at = program.calendar.due_at(received_at, program.sla_business_days)
    support_request.save(force_insert=True)
    recorded_by = support_request.entered_by or support_request.referred_by
    record_event(
        actor=recorded_by,
        action="intake.request.submitted",
        target=support_request,
        data={"source": support_request.source},
    )
    how = GIVEN_HOW[Source(support_request.source)]
    hooks.consent_given(support_request, agreed, how, recorded_by)
    _tell_coordinators(support_request)
    notify(
        kind=messages.REQUEST_RECEIVED,
        recipients=[peer_contact(support_request, by_text_if_asked=False)],
        context={"due": support_request.due_at},
        idempotency_key=("intake.request.received", support_request.pk, CHANNEL),
        program=program,
    )
    emit_event(
        program=program, event=messages.REQUEST_RECEIVED_EVENT, ids={"request": support_request.pk}
    )
    return support_request


def _tell_coordinators(support_request: SupportRequest) -> None:
    tell_coordinators(
        support_request.program,
        kind=messages.REQUEST_NEW,
        context={"number": support_request.pk},
        key=("intake.request.new", support_request.pk),
        link=reverse("intake:request_detail", args=[support_request.pk]),
    )


def record_request_viewed(
    *, support_request: SupportRequest, viewer: User, contact_details: bool = False
) -> None:
    """Notes that someone read a request's sensitive details (their experience, in their words),
    and whether the person's contact details were among them."""
    record_event(
        actor=viewer,
        action="intake.request.viewed",
        target=support_request,
        data={"contact_details": contact_details},
    )


@transaction.atomic
def deidentify_request(*, support_request: SupportRequest) -> None:
    """Replace the personal data of a closed request and of its person (names, contact details,
    their words, the referrer's notes) with nothing; the row keeps its program, dates, status,
    source and the categories reports count by. The caller (privacy's retention) audits it."""
    SupportRequest.objects.filter(pk=support_request.pk).update(
        about="",
        preferences="",
        best_times="",
        work_role="",
        experience_since=None,
        answers_fingerprint="",
        answers_window=None,
    )
    Referral.objects.filter(request_id=support_request.pk).update(preferred_name="", goals="")
    peer = Peer.objects.get(pk=support_request.peer_id)
    peer.first_name = ""
    peer.last_name = ""
    peer.email = ""
    peer.phone = ""
    peer.save()  # through save, so the blind indexes of the names are emptied too
