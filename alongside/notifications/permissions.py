from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.notifications.models import OutboxMessage
from alongside.notifications.queries import undelivered_messages_visible_to


def get_undelivered_message_for(user: User, message_id: int) -> OutboxMessage:
    """A failed or given-up message of a program the user administers (404 otherwise)."""
    return get_object_or_404(undelivered_messages_visible_to(user), pk=message_id)
