"""The parameters every read list shares: paging, a program filter and ids as the database
keeps them (a larger number is a 422, never an overflow)."""

from ninja.params.functions import Path, Query

from alongside.api.paging import DEFAULT_LIMIT, MOST_LIMIT

MOST_ID = 2**63 - 1
Limit = Query(DEFAULT_LIMIT, ge=1, le=MOST_LIMIT, description="How many rows, 1 to 200.")
Cursor = Query(None, description="The next_cursor of the page before.")
ProgramFilter = Query(None, ge=1, le=MOST_ID, description="Only this program's.")


def an_id() -> int:
    """A record's id in the path: 1 to the largest id the database keeps."""
    return Path(..., ge=1, le=MOST_ID)  # type: ignore[no-any-return]
