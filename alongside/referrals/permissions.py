from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.intake.models import SupportRequest
from alongside.referrals.queries import referrals_of


def get_referral_for(user: User, request_id: int) -> SupportRequest:
    """One of the user's own referrals (404 otherwise: another referrer's, or another way in)."""
    return get_object_or_404(
        referrals_of(user).select_related("program", "peer", "site", "referral__consent"),
        pk=request_id,
    )
