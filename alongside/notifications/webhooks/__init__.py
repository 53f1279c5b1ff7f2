"""Webhooks: a program's endpoints, told of its events (ids only), signed, through the outbox."""
