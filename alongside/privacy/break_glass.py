"""Break-glass: a member of a program who must see a request outside their scope, in an
emergency, states why and confirms it is them; they see it for an hour, and the program's
privacy lead is told and reviews it (issue 17, item 5).

Who may: the program's coordinators, administrators and supervisors whose view of requests
does not include this one (`SupportRequest.objects.visible_to`); nobody else. For anyone
else the request does not exist (404), and a request of another program is never reachable.

Probing: to a member of the program, a request number that exists and is hidden from them
answers with the break-glass page rather than a 404. The page shows no name, site or detail
until a reason is given, the member must have confirmed their password in the last minutes,
and every showing of it is audited (`privacy.break_glass.offered`), so a supervisor counting
their colleagues' requests by number leaves a trail the privacy lead reads.

Employer-blind programs: break-glass never opens a request to a member whose scope includes
the person's site (or who is tied to sites while the person's site is not known), the manager
the promise protects against (`from_own_sites`, ADR 0013). To them such a request does not
exist: a 404, like a request of another program.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import SupportRequest
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, RECIPIENT, notify
from alongside.privacy.messages import BREAK_GLASS_OPENED
from alongside.privacy.models import BreakGlassAccess, BreakGlassOutcome
from alongside.programs.queries import from_own_sites, members_of, program_ids_with_role

# Members of a program whose scope may hide some of its requests and who may have to see one.
BREAK_GLASS_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.SUPERVISOR})
ACCESS_LASTS = dt.timedelta(minutes=60)
REASON_MINIMUM = 20


def request_outside_scope(user: User, request_id: int) -> SupportRequest | None:
    """The request, when it is in a program where the user may break glass and their scope
    hides it from them; None otherwise (it is theirs to see, or not theirs to know of)."""
    if SupportRequest.objects.visible_to(user).filter(pk=request_id).exists():
        return None
    return (
        SupportRequest.objects.filter(
            pk=request_id, program_id__in=program_ids_with_role(user, BREAK_GLASS_ROLES)
        )
        .exclude(from_own_sites(user, site="site_id"))
        .select_related("program", "peer", "site", "experience")
        .first()
    )


def access_in_force(
    user: User, support_request: SupportRequest, now: dt.datetime | None = None
) -> BreakGlassAccess | None:
    """The user's emergency access to this request that has not ended yet, if any."""
    return (
        BreakGlassAccess.objects.in_force(now or timezone.now())
        .filter(opened_by=user, support_request=support_request)
        .order_by("-expires_at")
        .first()
    )


def note_offered(*, user: User, support_request: SupportRequest) -> None:
    """Audits that the break-glass page was shown: probing request numbers leaves a trail."""
    record_event(actor=user, action="privacy.break_glass.offered", target=support_request)


@transaction.atomic
def open_break_glass(*, support_request: SupportRequest, by: User, reason: str) -> BreakGlassAccess:
    """Opens the request to `by` for an hour; audits it (without the reason) and tells the
    program's privacy leads (or, with none, its administrators) in their inbox and by e-mail,
    with a link to the review and no personal data."""
    reason = reason.strip()
    if len(reason) < REASON_MINIMUM:
        raise DomainError(
            _("Say why you must see this record, in at least %(count)s characters.")
            % {"count": REASON_MINIMUM}
        )
    if request_outside_scope(by, support_request.pk) is None:
        raise DomainError(_("You cannot open this record in an emergency."))
    now = timezone.now()
    access = BreakGlassAccess.objects.create(
        opened_by=by,
        support_request=support_request,
        program_id=support_request.program_id,
        reason=reason,
        opened_at=now,
        expires_at=now + ACCESS_LASTS,
    )
    record_event(
        actor=by,
        action="privacy.break_glass.opened",
        target=access,
        program_id=support_request.program_id,
    )
    _tell_privacy_leads(access)
    return access


def _tell_privacy_leads(access: BreakGlassAccess) -> None:
    leads = members_of(access.program_id, {Role.PRIVACY_LEAD})
    if not leads.exists():
        leads = members_of(access.program_id, {Role.ADMINISTRATOR})
    link = reverse("privacy:break_glass_review", args=[access.pk])
    notify(
        kind=BREAK_GLASS_OPENED,
        recipients=list(leads),
        context={"number": access.pk, "opened": access.opened_at, "link": settings.SITE_URL + link},
        idempotency_key=("privacy.break_glass.opened", access.pk, RECIPIENT, CHANNEL),
        channels=[Channel.IN_APP, Channel.EMAIL],
        program=access.program,
        link=link,
    )


@transaction.atomic
def review_break_glass(
    *, access: BreakGlassAccess, by: User, outcome: BreakGlassOutcome, note: str
) -> BreakGlassAccess:
    """Records the privacy lead's judgement of one emergency access, once; audits it."""
    if access.opened_by_id == by.pk:
        raise DomainError(_("Someone else must review your own emergency access."))
    now = timezone.now()
    claimed = BreakGlassAccess.objects.filter(pk=access.pk, reviewed_at__isnull=True).update(
        reviewed_by=by, reviewed_at=now, outcome=outcome, review_note=note.strip()
    )
    if not claimed:
        raise DomainError(_("This emergency access has been reviewed already."))
    access.refresh_from_db()
    record_event(
        actor=by,
        action="privacy.break_glass.reviewed",
        target=access,
        data={"outcome": str(outcome)},
        program_id=access.program_id,
    )
    return access


def reviewable_by(user: User) -> QuerySet[BreakGlassAccess]:
    """The emergency accesses of the programs the user reviews (as privacy lead or
    administrator): the ones still to review first, then the latest."""
    return (
        BreakGlassAccess.objects.to_review_by(user)
        .select_related("opened_by", "program", "reviewed_by")
        .order_by(F("reviewed_at").desc(nulls_first=True), "-opened_at")
    )


def unreviewed_count(user: User) -> int:
    return BreakGlassAccess.objects.to_review_by(user).unreviewed().count()


def get_access_for(user: User, access_id: int) -> BreakGlassAccess:
    """An emergency access of a program the user reviews, or 404."""
    found = reviewable_by(user).filter(pk=access_id).first()
    if found is None:
        raise Http404
    return found
