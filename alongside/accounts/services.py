"""Changes to accounts: each one audited."""

from dataclasses import dataclass

from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from alongside.accounts.hooks import send_invitation
from alongside.accounts.models import Membership, Role, User, validate_time_zone
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.updates import update_and_audit


@transaction.atomic
def lift_lockout(*, attempt: AccessAttempt, lifted_by: User) -> int:
    """Lets the e-mail of `attempt` sign in again from its address at once; audited.

    The event names the account when the e-mail has one, never the e-mail itself. Returns how
    many rows of failures went.
    """
    attempts = AccessAttempt.objects.filter(
        username=attempt.username, ip_address=attempt.ip_address
    )
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    account = User.objects.filter(email__iexact=attempt.username or "").first()
    target: models.Model = account if account is not None else attempt
    record_event(
        actor=lifted_by,
        action="accounts.lockout.lifted",
        target=target,
        data={"address": attempt.ip_address, "failures": failures},
    )
    # Not axes.utils.reset: it drops a filter whose value is None, which would lift more.
    lifted: int = attempts.delete()[0]
    return lifted


@transaction.atomic
def grant_role(
    *, user: User, program: models.Model, role: Role, granted_by: User | None
) -> Membership:
    """Gives `user` the role in `program`, or makes a lapsed one active again; audited once.

    `program` is a programs.Program, typed loosely because accounts sits below programs.
    `granted_by` is None when nobody granted it by hand (an applicant admitted by the form).
    """
    membership, created = Membership.objects.get_or_create(
        user=user, program_id=program.pk, role=role
    )
    if not created and membership.is_active:
        return membership
    if not created:
        membership.is_active = True
        membership.save(update_fields=["is_active"])
    record_event(
        actor=granted_by,
        action="accounts.role.granted",
        target=membership,
        data={"user": user.pk, "role": role},
    )
    return membership


@transaction.atomic
def remove_role(*, membership: Membership, removed_by: User) -> Membership:
    """Takes the role away (the membership stays, inactive, as the record); audited once."""
    if not membership.is_active:
        return membership
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    record_event(
        actor=removed_by,
        action="accounts.role.removed",
        target=membership,
        data={"user": membership.user_id, "role": membership.role},
    )
    return membership


# The fields of an account that decide what it may reach: an edit of one is an access change.
ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


@transaction.atomic
def save_account(*, user: User, changed_fields: list[str], created: bool, by: User) -> User:
    """Saves an account edited by an administrator; audited with the names of the fields, and
    the new value of each that decides access (active, Django staff, superuser)."""
    user.save()
    access = {name: getattr(user, name) for name in ACCESS_FIELDS if name in changed_fields}
    record_event(
        actor=by,
        action="accounts.user.created" if created else "accounts.user.changed",
        target=user,
        data={"fields": sorted(changed_fields), **({"access": access} if access else {})},
    )
    return user


def record_password_set_by_administrator(*, user: User, by: User) -> None:
    """Notes that an administrator set (or took away) an account's password in the admin: an
    access change. Whether the account still signs in with a password; never the password."""
    record_event(
        actor=by,
        action="accounts.password.set_by_administrator",
        target=user,
        data={"usable": user.has_usable_password()},
    )


@transaction.atomic
def open_account(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "",
    opened_by: User | None,
) -> tuple[User, bool]:
    """The account for `email`, created without a password when there is none; audited when
    created. Returns the account and whether it is new. `language` is the new account's (the
    one the person wrote to us in), else English. The person sets their password through an
    invitation: invite_person opens the account and sends it."""
    existing = User.objects.filter(email__iexact=email.strip()).first()
    if existing is not None:
        return existing, False
    user = User(
        email=User.objects.normalize_email(email.strip()),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
    )
    if language in dict(settings.LANGUAGES):
        user.language = language
    user.set_unusable_password()
    user.save()
    record_event(actor=opened_by, action="accounts.user.created", target=user, data={})
    return user, True


def is_waiting_for_a_password(user: User) -> bool:
    """Invited and has not set a password yet (nor signed in)."""
    no_password = not user.password or not user.has_usable_password()
    return no_password and user.last_login is None


@transaction.atomic
def set_password_from_invitation(*, user: User, password: str, language: str = "") -> User:
    """Sets the password an invited person chose; the link stops working with it. `language`,
    the one they read the invitation's page in, becomes their account's. Audited."""
    user.set_password(password)
    fields = ["password"]
    if language in dict(settings.LANGUAGES):
        user.language = language
        fields.append("language")
    user.save(update_fields=fields)
    record_event(actor=user, action="accounts.invitation.accepted", target=user)
    return user


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool  # the account is new
    sent: bool  # an invitation was queued by this call


@transaction.atomic
def invite_person(
    *,
    email: str,
    invited_by: User | None,
    first_name: str = "",
    last_name: str = "",
    program: models.Model | None = None,
    role: Role | None = None,
    language: str = "",
) -> Invitation:
    """Opens the account for `email` unless it exists, gives it `role` in `program` when both
    are named, and e-mails an invitation to choose a password when the person has none yet.

    The one way to open an account for someone (supporters, referrers, staff). The invitation
    goes once per account: inviting again (another program, a double click) sends nothing
    new; its page offers a fresh link once the first has expired. Audited (the account, the
    role, the invitation). `program` is a programs.Program. A new account's language is
    `language` (the one the person wrote to us in), and so is its invitation's.
    """
    user, created = open_account(
        email=email,
        first_name=first_name,
        last_name=last_name,
        language=language,
        opened_by=invited_by,
    )
    if role is not None and program is not None:
        grant_role(user=user, program=program, role=role, granted_by=invited_by)
    sent = is_waiting_for_a_password(user) and send_invitation(user, program, None)
    if sent:
        record_event(
            actor=invited_by,
            action="accounts.invitation.sent",
            target=user,
            program_id=program.pk if program is not None else None,
        )
    return Invitation(user=user, created=created, sent=sent)


@transaction.atomic
def renew_invitation(*, user: User, expired_link_issued_at: int) -> bool:
    """E-mails a new link to a person whose invitation link expired before they used it.

    Once per expired link: pressing "Send me a new link" twice sends one. Returns whether a
    link was queued now (not when the person has set a password since). Audited.
    """
    if not is_waiting_for_a_password(user):
        return False
    sent = send_invitation(user, None, expired_link_issued_at)
    if sent:
        record_event(actor=None, action="accounts.invitation.renewed", target=user)
    return sent


@transaction.atomic
def update_own_settings(*, user: User, time_zone: str, language: str) -> list[str]:
    """A person changes their own time zone ("" for their program's) and the language of
    their messages; audited (the names of the fields changed). Returns those names."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose English or French."))
    try:
        validate_time_zone(time_zone)
    except ValidationError as error:
        raise DomainError(error.messages[0]) from error
    user = User.objects.select_for_update().get(pk=user.pk)
    return update_and_audit(
        instance=user,
        changes={"time_zone": time_zone, "language": language},
        actor=user,
        action="accounts.settings.updated",
    ).fields


@transaction.atomic
def choose_language(*, user: User, language: str) -> bool:
    """A person chooses the language of their pages and messages with the header's buttons (the
    same choice as on Your account); audited when it changes. Returns whether it changed."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Choose English or French."))
    user = User.objects.select_for_update().get(pk=user.pk)
    return bool(
        update_and_audit(
            instance=user,
            changes={"language": language},
            actor=user,
            action="accounts.settings.updated",
        ).fields
    )
