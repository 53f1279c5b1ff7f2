"""The link in an invitation: it lets a new account set its password, once, for a few days.

A token from Django's password-reset machinery with its own salt and its own lifetime
(ACCOUNT_INVITATION_DAYS): it is bound to the account's current password, so it stops working
the moment a password is set, and it says how old it is, so an expired link can still be told
from a forged one (the page then offers a new link instead of a dead end).
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int, int_to_base36

from alongside.accounts.models import User


class LinkState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"  # genuinely ours, but older than ACCOUNT_INVITATION_DAYS
    UNUSABLE = "unusable"  # used already (a password was set), or not one of ours


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "alongside.accounts.invitations.InvitationTokenGenerator"

    def state_of(self, user: User, token: str) -> LinkState:
        """Whether `token` opens `user`'s invitation now; the parent knows only yes or no."""
        issued_at = self.issued_at(token)
        if issued_at is None or not any(
            constant_time_compare(self._make_token_with_timestamp(user, issued_at, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return LinkState.UNUSABLE
        age = self._num_seconds(self._now()) - issued_at
        return LinkState.VALID if age <= lifetime_in_seconds() else LinkState.EXPIRED

    @staticmethod
    def issued_at(token: str) -> int | None:
        """When the token was made, in the generator's seconds; None when it is not a token."""
        stamp, _, signature = token.partition("-")
        try:
            return base36_to_int(stamp) if signature else None
        except ValueError:
            return None


invitation_tokens = InvitationTokenGenerator()


def lifetime_in_seconds() -> int:
    days: int = settings.ACCOUNT_INVITATION_DAYS
    return days * 24 * 60 * 60


@dataclass(frozen=True)
class OpenedLink:
    """What an invitation link names: the account (None when nobody) and the link's state."""

    user: User | None
    state: LinkState
    issued_at: int | None


def invitation_path(user: User) -> str:
    """The path of a new link that lets `user` set their password."""
    token = invitation_tokens.make_token(user)
    return reverse(
        "accounts:invitation", kwargs={"account": int_to_base36(user.pk), "token": token}
    )


def open_link(account: str, token: str) -> OpenedLink:
    """The account an invitation link names and whether it still works."""
    try:
        user = User.objects.filter(pk=base36_to_int(account), is_active=True).first()
    except ValueError:
        user = None
    issued_at = invitation_tokens.issued_at(token)
    if user is None:
        return OpenedLink(None, LinkState.UNUSABLE, issued_at)
    return OpenedLink(user, invitation_tokens.state_of(user, token), issued_at)
