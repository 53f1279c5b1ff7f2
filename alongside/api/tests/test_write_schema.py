"""The write endpoints in the schema: each names its scope (or that it takes no token), takes
an Idempotency-Key, and documents its answers, every error a problem."""

import pytest
from django.urls import reverse

WRITES = {
    "/api/v1/programs/{program_id}/requests/by-phone": "write:requests",
    "/api/v1/programs/{program_id}/requests/online": "write:requests",
    "/api/v1/matches/{match_id}/contacts": "write:contacts",
    "/api/v1/hours-reports/{report_id}/confirmation": "write:contacts",
    "/api/v1/proposals/{proposal_id}/answer": None,
}


@pytest.mark.parametrize(("path", "scope"), WRITES.items())
def test_each_write_is_documented(client, db, path, scope):
    operation = client.get(reverse("api:openapi-json")).json()["paths"][path]["post"]

    assert operation.get("x-scope") == scope
    assert bool(operation.get("x-signed-in-only")) == (scope is None)
    assert {"201", "400", "401", "403", "404", "409", "422", "429"} <= set(operation["responses"])
    for status, answer in operation["responses"].items():
        if status != "201":
            assert "application/problem+json" in answer["content"], status
    assert {"name": "Idempotency-Key", "in": "header", "required": True}.items() <= next(
        parameter for parameter in operation["parameters"] if parameter["name"] == "Idempotency-Key"
    ).items()
