"""Real e-mail and SMS providers: what they report after a message leaves.

E-mail goes through django-anymail (any ESP it supports, or SMTP); its tracking webhooks tell
of bounces and complaints (`email_events.py`). Text messages go through Twilio's SDK, whose
signed status callbacks tell of delivery (`twilio.py`). An address that bounced, was refused or
reported the messages as spam is marked undeliverable (`services.py`): nothing more is sent to
it until a coordinator clears the mark.
"""
