"""Reads of consent records: where a purpose stands, and a person's consents for their page."""

from collections.abc import Mapping, Sequence

from django.db.models import QuerySet

from alongside.core.consent import Purpose, Standing
from alongside.privacy.models import Consent


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
