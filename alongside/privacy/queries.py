"""Reads of consent records (where a purpose stands, a person's consents for their page), of
the audit log (whose events each privacy lead and administrator may read) and of legal holds."""

from collections.abc import Mapping, Sequence

from django.db import connection
from django.db.models import Q, QuerySet

from alongside.accounts.models import AUDIT_ROLES, Membership, Role, User
from alongside.core.consent import Purpose, Standing
from alongside.core.models import AuditEvent
from alongside.privacy.models import Consent, LegalHold
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for


def standings(request_ids: Sequence[int], purpose: Purpose) -> Mapping[int, Standing]:
    """Where each request's consent to `purpose` stands, by id, in one query: given while one
    stands, withdrawn when every one given was withdrawn, else never given."""
    standing: dict[int, Standing] = dict.fromkeys(request_ids, Standing.NOT_GIVEN)
    rows = Consent.objects.filter(support_request_id__in=request_ids, purpose=purpose).values_list(
        "support_request_id", "withdrawn_at"
    )
    for request_id, withdrawn_at in rows:
        assert request_id is not None  # filtered on it
        if withdrawn_at is None:
            standing[request_id] = Standing.GIVEN
        elif standing[request_id] != Standing.GIVEN:
            standing[request_id] = Standing.WITHDRAWN
    return standing


def _shown(consents: QuerySet[Consent]) -> list[Consent]:
    return list(
        consents.select_related("text", "recorded_by", "withdrawn_by").order_by(
            "given_at", "purpose", "pk"
        )
    )


def consents_of_request(request_id: int) -> list[Consent]:
    """The consents given with a request, in the order they were given (one query)."""
    return _shown(Consent.objects.filter(support_request_id=request_id))


def consents_of_application(application_id: int) -> list[Consent]:
    """The consents given with an application (one query)."""
    return _shown(Consent.objects.filter(application_id=application_id))


# ---- the audit log ----------------------------------------------------------------------


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The audit events of the programs where the user is privacy lead or administrator; an
    installation's superuser reads every event, also those filed under no program (accounts,
    sign-in locks)."""
    if user.is_superuser:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(program_id__in=program_ids_for(user, AUDIT_ROLES))


def audit_programs_of(user: User) -> list[Program]:
    """The programs whose audit log the user reads, by name."""
    return list(
        Program.objects.filter(pk__in=program_ids_for(user, AUDIT_ROLES)).order_by("name", "pk")
    )


def staff_of(programs: Sequence[Program]) -> list[User]:
    """The people who work in these programs (every role but the peer supporter's), by e-mail:
    the staff members the audit log is searched by."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.filter(program__in=programs)
            .exclude(role=Role.SUPPORTER)
            .values("user_id")
        ).order_by("email")
    )


def recorded_actions() -> list[str]:
    """Every action the audit log holds, each once, in order: the choices of its action filter.

    An action is a code ("intake.request.viewed"), the same for every program, so the list is
    the installation's. Read by skipping from one action to the next along the action's index
    (a query for each of the hundred or so codes, each a single index probe), never by reading
    every event: the log grows by every read of a record, to millions of rows."""
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH RECURSIVE actions (action) AS (
                SELECT MIN(action) FROM {table}
                UNION ALL
                SELECT (SELECT MIN(action) FROM {table} WHERE action > actions.action)
                FROM actions WHERE actions.action IS NOT NULL
            )
            SELECT action FROM actions WHERE action IS NOT NULL
            """  # noqa: S608 (the table's own name, quoted; no value is written in)
        )
        return [action for (action,) in cursor.fetchall()]


# ---- legal holds ---------------------------------------------------------------------------


def holds_in_force(*, peer_id: int, match_id: int | None = None) -> list[LegalHold]:
    """The legal holds in force on a person, and on one of their matches (one query)."""
    on = Q(peer_id=peer_id) | Q(match_id=match_id) if match_id is not None else Q(peer_id=peer_id)
    return list(LegalHold.objects.in_force().filter(on).select_related("placed_by"))
