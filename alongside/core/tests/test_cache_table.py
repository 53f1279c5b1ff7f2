"""`manage.py createcachetable` makes the table that holds the counters every process shares.

Without CACHE_URL the public forms' throttle lives in a table of the database (config/settings.py);
an installation that skipped the command would fail every public form. Django's DDL runs inside
the test's transaction on both engines, so the table dropped here is back after the test.
"""

from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

TABLE = "alongside_shared_cache"


def test_createcachetable_makes_the_shared_caches_table_where_there_was_none(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {TABLE}")
    assert TABLE not in connection.introspection.table_names()

    call_command("createcachetable", verbosity=0)

    assert TABLE in connection.introspection.table_names()
    caches["shared"].set("throttle:probe", 3)
    assert caches["shared"].get("throttle:probe") == 3


def test_createcachetable_run_again_keeps_what_the_cache_holds(db: None) -> None:
    caches["shared"].set("throttle:probe", 7)

    call_command("createcachetable", verbosity=0)

    assert caches["shared"].get("throttle:probe") == 7
