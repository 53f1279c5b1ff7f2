"""Privacy for health data: what people agreed to, kept as records (ADR 0008), and, to come,
confidentiality scopes, retention, erasure and a person's own copy.

It sits above every domain and reads them through their services and queries; the domains hand
it what a person agreed to, and ask it where a consent stands, through their hooks.
"""
