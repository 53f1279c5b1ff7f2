"""Read operations partners need (issue 19): each runs the pages' own query or permission
helper for the caller, then keeps the token's program (`Caller.narrow`, ADR 0015)."""
