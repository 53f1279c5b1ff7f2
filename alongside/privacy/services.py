"""Keeping what people agreed to, each with the version of its words, and its withdrawal; a
program's retention and the legal holds that stop it (the pass itself: privacy/retention.py)."""

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.consent import GIVEN_TO_A_COORDINATOR, Agreement, GivenHow, Purpose
from alongside.core.errors import DomainError
from alongside.intake.models import Peer, SupportRequest
from alongside.matches.models import Match
from alongside.privacy.models import (
    MAXIMUM_MONTHS,
    MINIMUM_MONTHS,
    WITHDRAWABLE,
    Consent,
    ConsentText,
    LegalHold,
    RetentionKind,
    RetentionPolicy,
    WithdrawnHow,
)
from alongside.privacy.recording import fingerprint, may_be_given
from alongside.programs.models import Program
from alongside.supporters.models import Application


@transaction.atomic
def record_request_consents(
    *,
    support_request: SupportRequest,
    agreements: Sequence[Agreement],
    how: GivenHow,
    recorded_by: User | None,
) -> list[Consent]:
    """Keep what a person asking for support agreed to, as they asked (one audit event each).

    Called in the request's own transaction (intake's hook), so the request is never kept
    without its consent, nor the consent without the request."""
    return [
        _record(
            Consent(
                program_id=support_request.program_id,
                purpose=agreement.purpose,
                support_request=support_request,
                peer_id=support_request.peer_id,
                given_at=support_request.consent_given_at,
                given_how=how,
                recorded_by=recorded_by,
            ),
            agreement,
        )
        for agreement in agreements
    ]


@transaction.atomic
def record_application_consents(
    *, application: Application, agreements: Sequence[Agreement], how: GivenHow
) -> list[Consent]:
    """Keep what an applicant agreed to on the application form (one audit event each)."""
    return [
        _record(
            Consent(
                program_id=application.program_id,
                purpose=agreement.purpose,
                application=application,
                given_at=application.submitted_at,
                given_how=how,
            ),
            agreement,
        )
        for agreement in agreements
    ]


@transaction.atomic
def record_consent_given_later(
    *,
    support_request: SupportRequest,
    purpose: Purpose | str,
    how: GivenHow | str,
    by: User,
    words_shown: str,
) -> Consent:
    """Keep a consent the person gave `by` after their request was taken (by phone, in person
    or in writing), in the words they were read; what depends on it starts again from now (the
    next questionnaire due is sent). A consent given again after a withdrawal is a new record.
    Audited."""
    if how not in GIVEN_TO_A_COORDINATOR:
        raise DomainError(_("Choose how the person gave their consent."))
    if Consent.objects.filter(support_request=support_request, purpose=purpose).standing().exists():
        raise DomainError(_("This consent is already recorded."))
    agreement = (
        may_be_given(support_request).get(Purpose(purpose)) if purpose in Purpose.values else None
    )
    if agreement is None:
        raise DomainError(_("The program does not ask for this consent."))
    if words_shown != fingerprint(agreement):
        raise DomainError(
            _("The words changed since the page was opened: read the person the words below.")
        )
    consent = Consent(
        program_id=support_request.program_id,
        purpose=agreement.purpose,
        support_request=support_request,
        peer_id=support_request.peer_id,
        given_at=timezone.now(),
        given_how=how,
        recorded_by=by,
    )
    try:
        with transaction.atomic():
            return _record(consent, agreement)
    except IntegrityError as error:
        # Pressed twice at once: the first press recorded it.
        raise DomainError(_("This consent is already recorded.")) from error


def _record(consent: Consent, agreement: Agreement) -> Consent:
    consent.text = text_agreed(agreement, at=consent.given_at)
    consent.save(force_insert=True)
    record_event(
        actor=consent.recorded_by,
        action="privacy.consent.given",
        target=consent,
        data={
            "purpose": consent.purpose,
            "how": consent.given_how,
            "wording": agreement.wording,
            "version": consent.text.version,
            "language": agreement.language,
        },
    )
    return consent


def text_agreed(agreement: Agreement, *, at: dt.datetime) -> ConsentText:
    """The version of the words agreed to: the one kept for these words, or a new version of
    the question when its words in this language changed."""
    digest = hashlib.sha256(agreement.text.encode()).hexdigest()
    same = {"wording": agreement.wording, "language": agreement.language}
    kept = ConsentText.objects.filter(**same, digest=digest).first()
    if kept is not None:
        return kept
    latest = ConsentText.objects.filter(**same).aggregate(latest=Max("version"))["latest"]
    try:
        with transaction.atomic():
            return ConsentText.objects.create(
                **same,
                version=(latest or 0) + 1,
                text=agreement.text,
                digest=digest,
                first_agreed_at=at,
            )
    except IntegrityError:
        # Two people agreed to the new words at once: the first kept them.
        return ConsentText.objects.get(**same, digest=digest)


@transaction.atomic
def withdraw_consent(*, consent: Consent, by: User, how: WithdrawnHow | str) -> Consent:
    """Record that the person withdrew this consent, on their request to `by`; what depended on
    it stops from now (surveys are no longer sent; the referrer is no longer told). Audited."""
    if consent.purpose not in WITHDRAWABLE:
        raise DomainError(
            _("This consent cannot be withdrawn here: the support or the application rests on it.")
        )
    if how not in WithdrawnHow.values:
        raise DomainError(_("Choose how the person asked to withdraw their consent."))
    claimed = Consent.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_by=by, withdrawn_how=how
    )
    if not claimed:
        raise DomainError(_("This consent was already withdrawn."))
    consent.refresh_from_db()
    record_event(
        actor=by,
        action="privacy.consent.withdrawn",
        target=consent,
        data={"purpose": consent.purpose, "how": consent.withdrawn_how},
    )
    return consent


@transaction.atomic
def set_retention(*, program: Program, by: User, months: Mapping[str, int]) -> RetentionPolicy:
    """Set how many months `program` keeps each kind of record past use (the form has checked
    each is between the minimum and the maximum). Audited, with the months before and after."""
    policy = RetentionPolicy.objects.select_for_update().filter(program=program).first()
    policy = policy or RetentionPolicy(program=program)
    before = {kind: policy.months(kind) for kind in RetentionKind.values}
    for kind in RetentionKind.values:
        if kind in months:
            months_kept = int(months[kind])
            if not MINIMUM_MONTHS <= months_kept <= MAXIMUM_MONTHS:
                raise DomainError(
                    _("Keep each kind of record between %(least)s and %(most)s months.")
                    % {"least": MINIMUM_MONTHS, "most": MAXIMUM_MONTHS}
                )
            setattr(policy, f"{kind}_months", months_kept)
    policy.updated_by = by
    policy.save()
    after = {kind: policy.months(kind) for kind in RetentionKind.values}
    record_event(
        actor=by,
        action="privacy.retention.changed",
        target=policy,
        data={"before": before, "after": after},
    )
    return policy


@transaction.atomic
def place_legal_hold(
    *, by: User, reason: str, peer: Peer | None = None, match: Match | None = None
) -> LegalHold:
    """Keep a person's records (`peer`) or one match's from retention until the hold is lifted.
    Audited (the reason stays on the hold, out of the audit log: it may name the person)."""
    if (peer is None) == (match is None):
        raise DomainError(_("Place a legal hold on a person or on a match."))
    if not reason.strip():
        raise DomainError(_("Say why the records must be kept."))
    program_id = peer.program_id if peer is not None else match.program_id  # type: ignore[union-attr]
    hold = LegalHold(
        program_id=program_id,
        peer=peer,
        match=match,
        reason=reason.strip(),
        placed_by=by,
        placed_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            hold.save(force_insert=True)
    except IntegrityError as error:
        raise DomainError(_("A legal hold is already in force here.")) from error
    on = "person" if peer is not None else "match"
    record_event(actor=by, action="privacy.hold.placed", target=hold, data={"on": on})
    return hold


@transaction.atomic
def lift_legal_hold(*, hold: LegalHold, by: User, reason: str) -> LegalHold:
    """Lift a legal hold: retention takes the records again when they are past their time.
    Audited; pressed twice, the second finds it lifted."""
    if not reason.strip():
        raise DomainError(_("Say why the hold is lifted."))
    lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=by, lift_reason=reason.strip()
    )
    if not lifted:
        raise DomainError(_("This legal hold was already lifted."))
    hold.refresh_from_db()
    record_event(actor=by, action="privacy.hold.lifted", target=hold)
    return hold
