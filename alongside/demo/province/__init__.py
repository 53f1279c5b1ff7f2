"""A generated province: ten programs and fifty thousand supporters, for benchmarks and load runs.

`manage.py generate_province` calls `generate_province()` (build.py). The programs are set up
through the programs services as the demo's are (the demo's MS, health care worker and
community mental health shapes, setup.py); their staff through the accounts services. The
people are many, so they are written with bulk_create, row for row what the services would
write: every active supporter has the step records, cleared check, trainings and agreements
their program asks for; every open match pairs a request and a supporter who fit (a shared
language and way of being contacted, room for one more, another site where the program
matches across sites); every contact falls inside its match. Audit events and outbox messages,
which the services would also leave, are not written. A sample is then checked with the
services' own rules (checks.py), and the whole build rolls back if one fails.
"""
