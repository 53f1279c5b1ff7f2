"""A program's team: its administrators add people to it (coordinators, supervisors,
referrers, administrators, privacy leads) and tie a coordinator's, a supervisor's or an
administrator's role to some of the program's sites, or to none: the whole program, its central
team (ADR 0013; sites mean nothing for the other roles). Every grant and change is audited."""

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import SITE_SCOPED_ROLES, TEAM_ROLES, Membership, Role, User
from alongside.accounts.services import invite_person
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.programs.models import Program, Site
from alongside.programs.services.checks import SettingsError


def _refuse_other_programs_sites(program_id: int, sites: Sequence[Site]) -> None:
    foreign = [site.name for site in sites if site.program_id != program_id]
    if foreign:
        raise SettingsError(
            {"sites": [_("%(sites)s: not a site of this program.") % {"sites": ", ".join(foreign)}]}
        )


@transaction.atomic
def appoint_coordinator(
    *,
    program: Program,
    by: User,
    email: str,
    first_name: str,
    role: Role = Role.COORDINATOR,
    sites: Sequence[Site] = (),
) -> tuple[User, bool]:
    """Give the person with this e-mail `role` in the program (a coordinator unless named:
    a supervisor, a referrer, an administrator or a privacy lead), tied to `sites` when named
    (none: the whole program), opening an account for them when there is none and e-mailing
    them an invitation to choose their password.
    Returns the person and whether their account is new."""
    email = User.objects.normalize_email(email.strip())
    if not email:
        raise SettingsError({"email": [_("Give their e-mail address.")]})
    if role not in TEAM_ROLES:
        raise SettingsError({"role": [_("Choose a role on the team.")]})
    _refuse_other_programs_sites(program.pk, sites)
    known = User.objects.filter(email__iexact=email).first()
    if known is not None and not known.is_active:
        raise DomainError(
            _("The account for %(email)s is closed; an administrator can open it again first.")
            % {"email": email}
        )
    invitation = invite_person(
        email=email,
        first_name=" ".join(first_name.split()),
        program=program,
        role=role,
        invited_by=by,
    )
    membership = Membership.objects.get(user=invitation.user, program=program, role=role)
    tie_role_to_sites(membership=membership, by=by, sites=sites)
    return invitation.user, invitation.created


@transaction.atomic
def tie_role_to_sites(*, membership: Membership, by: User, sites: Sequence[Site]) -> Membership:
    """Tie a team member's role to some of the program's sites, or to none: the whole
    program (its central team). A role tied to sites sees only what they allow, and in an
    employer-blind program never a request from someone at them. Audited with the sites
    before and after."""
    fresh = Membership.objects.select_for_update().get(pk=membership.pk)
    if fresh.role not in TEAM_ROLES or not fresh.is_active:
        raise DomainError(_("Only a role on the program's team can be tied to sites."))
    _refuse_other_programs_sites(fresh.program_id, sites)
    wanted = {site.pk: site for site in sites}
    if wanted and fresh.role not in SITE_SCOPED_ROLES:
        raise SettingsError(
            {
                "sites": [
                    _(
                        "Only coordinators, supervisors and administrators are tied to sites; "
                        "a %(role)s sees what their role allows wherever the person is."
                    )
                    % {"role": fresh.get_role_display().lower()}
                ]
            }
        )
    if fresh.user_id == by.pk and fresh.role == Role.ADMINISTRATOR and wanted:
        raise SettingsError(
            {
                "sites": [
                    _(
                        "You cannot tie your own administrator role to sites: you would no "
                        "longer manage the program's team. Ask another administrator."
                    )
                ]
            }
        )
    before = set(fresh.sites.values_list("pk", flat=True))
    if before == set(wanted):
        return fresh
    fresh.sites.set(list(wanted.values()))
    record_event(
        actor=by,
        action="accounts.role.sites_changed",
        target=fresh,
        data={
            "user": fresh.user_id,
            "role": fresh.role,
            "sites": sorted(wanted),
            "before": sorted(before),
        },
    )
    return fresh
