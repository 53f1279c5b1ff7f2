from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve

from alongside.accounts.models import User
from alongside.accounts.queries import roles_of
from alongside.core.access import ACCESS_ATTRIBUTE
from alongside.notifications.models import OutboxMessage
from alongside.notifications.queries import inbox_for, undelivered_messages_visible_to


def get_undelivered_message_for(user: User, message_id: int) -> OutboxMessage:
    """A failed or given-up message of a program the user administers (404 otherwise)."""
    return get_object_or_404(undelivered_messages_visible_to(user), pk=message_id)


def get_inbox_message_for(user: User, message_id: int) -> OutboxMessage:
    """One of the user's own in-app messages (404 for anyone else's)."""
    return get_object_or_404(inbox_for(user), pk=message_id)


def link_opens_for(user: User, link: str) -> bool:
    """Whether a message's link leads to a page of ours whose audience includes the user.

    The sender chose a page the recipient may open; this catches a role lost since then, so
    the inbox never shows a link that answers 403.
    """
    if not link.startswith("/") or link.startswith("//"):
        return False
    try:
        match = resolve(link.split("?")[0])
    except Resolver404:
        return False
    audience = getattr(match.func, ACCESS_ATTRIBUTE, None)
    if audience in ("public", "signed_in"):
        return True
    if not isinstance(audience, tuple):
        return False
    return bool(set(audience) & roles_of(user))
