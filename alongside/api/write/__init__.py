"""Write endpoints (issue 19): each posts through the page's own form and service, so the
checks and the words are the page's, and takes an Idempotency-Key (ADR 0015)."""
