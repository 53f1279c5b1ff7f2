from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.notifications.models import UndeliverableAddress
from alongside.notifications.providers.queries import undeliverable_addresses_visible_to


def get_undeliverable_address_for(user: User, mark_id: int) -> UndeliverableAddress:
    """A standing mark of a program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(undeliverable_addresses_visible_to(user), pk=mark_id)
