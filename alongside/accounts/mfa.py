"""Two-step sign-in (allauth MFA): who must use it, and how its pages and forms read here.

Administrators, coordinators and supervisors see people's requests, notes and crisis details, so
a password alone is not enough for them: they sign in with an authenticator app (TOTP) and keep
recovery codes. Supporters and referrers may turn it on too; nobody forces them.

The secrets behind the codes (the app's TOTP key, the recovery codes' seed) are encrypted with
the field keys, through allauth's `encrypt`/`decrypt` hooks, and rotate with them. A secret
stored in the clear before that (see `read_secret`) still works until `rotate_field_keys`
encrypts it. One no configured key opens fails closed: nobody signs in with it, and the person
is told to ask an administrator to reset their app.
"""

import logging
import re
from collections.abc import Iterator
from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of
from alongside.core import encryption
from alongside.core.encryption import FieldDecryptionError
from alongside.core.field_keys import BATCH_SIZE, SecretStore
from alongside.core.forms import AccessibleFormMixin

logger = logging.getLogger(__name__)

MFA_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.SUPERVISOR, Role.PRIVACY_LEAD})
# What allauth stored in the clear before secrets were encrypted: TOTP keys in base32,
# recovery-code seeds in hex.
LEGACY_SECRET = re.compile(r"[A-Z2-7]+=*|[0-9a-f]+")
# Where each kind of authenticator keeps its secrets in `Authenticator.data`.
SECRET_KEYS = {Authenticator.Type.TOTP: "secret", Authenticator.Type.RECOVERY_CODES: "seed"}
MIGRATED_CODES_KEY = "migrated_codes"


def must_use_mfa(user: User) -> bool:
    """Administrators (superusers and Django staff among them), coordinators, supervisors and
    privacy leads (who read the audit log)."""
    return user.is_staff or bool(roles_of(user) & MFA_ROLES)


def has_authenticator_app(user: User) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


class StaffMFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """Staff cannot turn their authenticator app off; an administrator can reset it."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Coordinators, supervisors and administrators must keep two-step sign-in. "
            "If you have a new phone, ask an administrator to reset your authenticator app."
        ),
        "incorrect_code": _(
            "That code did not work. Type the code your app shows now; it changes every 30 seconds."
        ),
        "secret_unreadable": _(
            "Your two-step sign-in cannot be checked: this site no longer holds the key your "
            "authenticator app was saved with. Ask an administrator to reset your authenticator "
            "app, then set it up again."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not must_use_mfa(authenticator.user)

    def encrypt(self, text: str) -> str:
        return encryption.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        """The secret, or a form error (the sign-in form shows it) when no key opens it."""
        try:
            return read_secret(encrypted_text)
        except FieldDecryptionError as error:
            logger.warning(
                "An authenticator's secret cannot be read with ALONGSIDE_FIELD_KEYS; "
                "`manage.py list_unreadable_fields` lists every such authenticator."
            )
            raise self.validation_error("secret_unreadable") from error


def read_secret(stored: str) -> str:
    """The secret in the clear; raises FieldDecryptionError when no configured key opens it.

    A value that is not a Fernet token is a secret allauth stored in the clear before secrets
    were encrypted, and is taken as it is. That cannot open a door: a token always begins with
    "gAAAAA" (its version byte), which neither base32 nor lower-case hex can spell, so a token
    under a retired key is never mistaken for a plain secret and fails closed; and planting a
    plain secret takes write access to the database, which could as well delete the
    authenticator or change the password. Anything else is refused.
    """
    if encryption.is_token(stored):
        return encryption.decrypt(stored)
    if LEGACY_SECRET.fullmatch(stored):
        return stored
    raise FieldDecryptionError("A stored authenticator secret is neither a token nor a secret.")


def _reencrypted(data: dict[str, Any], secret_key: str) -> dict[str, Any]:
    rewritten = {**data, secret_key: encryption.encrypt(read_secret(data[secret_key]))}
    if MIGRATED_CODES_KEY in data:
        rewritten[MIGRATED_CODES_KEY] = [
            encryption.encrypt(read_secret(code)) for code in data[MIGRATED_CODES_KEY]
        ]
    return rewritten


def _authenticators_with_secrets(*, for_update: bool = False) -> Iterator[Authenticator]:
    """Every authenticator holding a secret, in batches by primary key."""
    last_pk = 0
    while True:
        rows = Authenticator.objects.filter(type__in=SECRET_KEYS, pk__gt=last_pk)
        if for_update:
            # A recovery code used meanwhile rewrites `data` too: neither may undo the other.
            rows = rows.select_for_update()
        batch = list(rows.order_by("pk")[:BATCH_SIZE])
        if not batch:
            return
        yield from batch
        last_pk = batch[-1].pk


@transaction.atomic
def reencrypt_mfa_secrets() -> int:
    """Encrypt every authenticator's secrets with the primary field key (plain ones too);
    returns how many were rewritten. Those no configured key opens are left as they are."""
    rewritten = 0
    for authenticator in _authenticators_with_secrets(for_update=True):
        try:
            data = _reencrypted(authenticator.data, SECRET_KEYS[authenticator.type])
        except FieldDecryptionError:
            continue
        Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
        rewritten += 1
    return rewritten


def unreadable_authenticators() -> list[int]:
    """The primary keys of authenticators whose secrets no configured key opens."""
    unreadable = []
    for authenticator in _authenticators_with_secrets():
        try:
            _reencrypted(authenticator.data, SECRET_KEYS[authenticator.type])
        except FieldDecryptionError:
            unreadable.append(authenticator.pk)
    return unreadable


MFA_SECRETS = SecretStore(
    label="mfa.Authenticator",
    rotate=reencrypt_mfa_secrets,
    unreadable=unreadable_authenticators,
)


class ActivateTOTPForm(AccessibleFormMixin, totp_forms.ActivateTOTPForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("The 6-digit code your app shows")
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs["inputmode"] = "numeric"


class AuthenticateForm(AccessibleFormMixin, base_forms.AuthenticateForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code from your authenticator app")
        code.help_text = _("The 6 digits your app shows now. Lost your phone? Use a recovery code.")
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs["inputmode"] = "numeric"
