"""A supporter's profile: what they offer, when, to whom, and the experiences they bring."""

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats
from django.utils.translation import gettext as _

from alongside.accounts.models import STAFF_ROLES, Role, User, validate_time_zone
from alongside.accounts.services import grant_role
from alongside.core.audit import record_event
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.core.updates import update_and_audit
from alongside.notifications.team import tell_coordinators
from alongside.programs.models import Experience, Program, Relationship
from alongside.programs.queries import holds_role_in
from alongside.supporters import messages, steps
from alongside.supporters.availability import WindowError, parse_windows
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

# What a supporter may change about themself; their program's staff may change these too.
OWN_FIELDS = frozenset(
    {
        "languages",
        "contact_methods",
        "region",
        "time_zone",
        "availability",
        "max_concurrent_matches",
        "expected_hours_per_month",
        "supports_genders",
        "supports_relationships",
        "away_until",
        "commitment_starts_on",
        "commitment_ends_on",
    }
)
# Only the program's staff set where a supporter works and in what role.
STAFF_FIELDS = frozenset({"work_role", "site"})


def is_staff_of(user: User, supporter: Supporter) -> bool:
    """Whether `user` coordinates or administers the supporter's program."""
    return holds_role_in(user, STAFF_ROLES, supporter.program_id)


def _ensure_may_edit(supporter: Supporter, by: User) -> bool:
    """Whether `by` edits as program staff; refuses anyone else but the supporter."""
    if is_staff_of(by, supporter):
        return True
    if supporter.user_id == by.pk:
        return False
    raise DomainError(_("Only the supporter and their program's coordinators can change this."))


def _day(day: dt.date) -> str:
    return formats.date_format(day, "j F Y")


def _check(supporter: Supporter, changed: list[str]) -> None:
    """The model's own rules for the changed fields, and the rules between them."""
    try:
        supporter.clean_fields(
            exclude=[f.name for f in Supporter._meta.fields if f.name not in changed]
        )
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        label = Supporter._meta.get_field(field).verbose_name  # type: ignore[union-attr]
        raise DomainError(f"{str(label).capitalize()}: {messages[0]}") from error
    try:
        validate_time_zone(supporter.time_zone)
    except ValidationError as error:
        raise DomainError(error.messages[0]) from error
    try:
        parse_windows(supporter.availability)
    except WindowError as error:
        raise DomainError(str(error)) from error
    if supporter.availability and not supporter.time_zone:
        raise DomainError(_("Please give a time zone, so we know when your free times fall."))
    if (
        supporter.commitment_starts_on
        and supporter.commitment_ends_on
        and supporter.commitment_ends_on <= supporter.commitment_starts_on
    ):
        raise DomainError(_("The commitment must end after it starts."))
    if (
        "away_until" in changed
        and supporter.away_until
        and supporter.away_until < supporter.program.calendar.today()
    ):
        raise DomainError(_("A break must end today or later; leave it empty when there is none."))
    if supporter.site is not None and supporter.site.program_id != supporter.program_id:
        raise DomainError(_("That site belongs to another program."))


def _with_commitment_end(supporter: Supporter, changes: Mapping[str, object]) -> dict[str, object]:
    """The changes, with the end of the commitment filled in from the program's length when
    the profile would have a start and no end."""
    starts_on = changes.get("commitment_starts_on", supporter.commitment_starts_on)
    ends_on = changes.get("commitment_ends_on", supporter.commitment_ends_on)
    if not isinstance(starts_on, dt.date) or ends_on:
        return dict(changes)
    months = supporter.program.supporter_commitment_months
    return {**changes, "commitment_ends_on": add_months(starts_on, months)}


@transaction.atomic
def update_profile(*, supporter: Supporter, by: User, changes: Mapping[str, object]) -> list[str]:
    """Change a supporter's profile; returns the names of the fields that changed.

    Fills in the end of the commitment from the program's length when only the start is
    given, and tells the coordinators when a supporter starts a break themself.
    """
    as_staff = _ensure_may_edit(supporter, by)
    allowed = OWN_FIELDS | STAFF_FIELDS if as_staff else OWN_FIELDS
    refused = set(changes) - allowed
    if refused:
        raise DomainError(
            _("You cannot change these here: %(fields)s.") % {"fields": ", ".join(sorted(refused))}
        )
    supporter = (
        Supporter.objects.select_for_update().select_related("program", "user").get(pk=supporter.pk)
    )
    changed = update_and_audit(
        instance=supporter,
        changes=_with_commitment_end(supporter, changes),
        actor=by,
        action="supporters.profile.updated",
        check=lambda changed: _check(supporter, changed),
    ).fields
    if "away_until" in changed and supporter.away_until and not as_staff:
        tell_coordinators(
            supporter.program,
            kind=messages.BREAK_TAKEN,
            context={"name": supporter.display_name, "day": supporter.away_until},
            key=("supporters.profile.break", supporter.pk, supporter.away_until.isoformat()),
        )
    return changed


@transaction.atomic
def add_lived_experience(
    *,
    supporter: Supporter,
    by: User,
    experience: Experience,
    relationship: Relationship | str,
    since: dt.date | None,
) -> LivedExperience:
    """Add an experience the supporter has lived through, how they relate to it, since when."""
    _ensure_may_edit(supporter, by)
    if not supporter.program.experiences.filter(pk=experience.pk, is_active=True).exists():
        raise DomainError(_("This program does not offer support with that experience."))
    if relationship not in Relationship.values:
        raise DomainError(_("Choose how the experience touched their life."))
    if since is not None and since > supporter.program.calendar.today():
        raise DomainError(_("Please give a year that has already begun."))
    try:
        with transaction.atomic():
            lived = LivedExperience.objects.create(
                supporter=supporter, experience=experience, relationship=relationship, since=since
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(experience)s is already listed with that relationship.")
            % {"experience": experience.name}
        ) from error
    record_event(
        actor=by,
        action="supporters.experience.added",
        target=supporter,
        data={"lived_experience": lived.pk},
    )
    return lived


@transaction.atomic
def remove_lived_experience(*, lived_experience: LivedExperience, by: User) -> None:
    """Remove one of a supporter's experiences; the last one stays (matching needs one)."""
    supporter = Supporter.objects.select_for_update().get(pk=lived_experience.supporter_id)
    _ensure_may_edit(supporter, by)
    if supporter.experiences.count() <= 1:
        raise DomainError(
            _("A supporter needs at least one lived experience. Add the right one first.")
        )
    record_event(
        actor=by,
        action="supporters.experience.removed",
        target=supporter,
        data={"lived_experience": lived_experience.pk},
    )
    lived_experience.delete()


# The statuses a coordinator may add someone with; breaks and leaving go through offboarding.
ADDABLE_STATUSES = (
    SupporterStatus.APPLIED,
    SupporterStatus.SCREENING,
    SupporterStatus.ACTIVE,
    SupporterStatus.PAUSED,
)


@transaction.atomic
def add_supporter(
    *,
    program: Program,
    user: User,
    by: User,
    status: SupporterStatus | str,
    languages: list[str],
    contact_methods: list[str],
    is_paid: bool = False,
    gender: str = "",
    birth_year: int | None = None,
    about: str = "",
) -> Supporter:
    """A coordinator adds someone with an account as a supporter of the program, who holds the
    supporter role from then on; their profile and lived experiences follow through
    `update_profile` and `add_lived_experience`. A person is a program's supporter once."""
    if not holds_role_in(by, STAFF_ROLES, program.pk):
        raise DomainError(_("Only the program's coordinators can add a supporter."))
    if status not in ADDABLE_STATUSES:
        raise DomainError(_("Choose applied, in screening, active or paused."))
    if Supporter.objects.filter(program=program, user=user).exists():
        raise DomainError(
            _("%(name)s is already a supporter of this program.") % {"name": user.display_name}
        )
    supporter = Supporter(
        program=program,
        user=user,
        status=status,
        languages=list(languages),
        contact_methods=list(contact_methods),
        is_paid=is_paid,
        gender=gender,
        birth_year=birth_year,
        about=about.strip(),
    )
    fields = ["status", "languages", "contact_methods", "gender", "birth_year"]
    _check(supporter, fields)
    supporter.save()
    steps.place_again([supporter.pk], supporter.created_at)  # on their way: at the first step
    grant_role(user=user, program=program, role=Role.SUPPORTER, granted_by=by)
    record_event(actor=by, action="supporters.supporter.added", target=supporter)
    supporter.refresh_from_db(fields=steps.STEP_FIELDS)
    return supporter


def record_profile_viewed(*, supporter: Supporter, viewer: User) -> None:
    """Notes that someone read a supporter's profile (experiences, contact preferences)."""
    record_event(actor=viewer, action="supporters.profile.viewed", target=supporter)
