"""Nothing that matters lives in one process: outside the tests both caches are one table in the
database unless CACHE_URL names Redis, so a second app server sees the same throttles, rate
limits and TOTP codes already used, and a restart forgets none of them."""

from django.core.cache import caches
from django.test import override_settings

from alongside.core.tests.test_demo_settings import demo_environment, setting

DATABASE_CACHE = "django.core.cache.backends.db.DatabaseCache"
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def test_an_installation_without_cache_url_keeps_both_caches_in_one_database_table() -> None:
    environment = demo_environment(CACHE_URL="")

    assert setting("CACHES['default']['BACKEND']", environment) == DATABASE_CACHE
    assert setting("CACHES['shared']['BACKEND']", environment) == DATABASE_CACHE
    assert setting("CACHES['default']['LOCATION']", environment) == "alongside_shared_cache"
    assert setting("CACHES['shared']['LOCATION']", environment) == "alongside_shared_cache"
    # Past its limit Django empties a third of the table, whichever cache wrote the keys.
    assert setting("CACHES['default']['OPTIONS']['MAX_ENTRIES']", environment) == "100000"


def test_an_installation_with_cache_url_keeps_both_caches_in_redis() -> None:
    environment = demo_environment(CACHE_URL="rediscache://127.0.0.1:6379/1")

    assert setting("CACHES['default']['BACKEND']", environment) == REDIS_CACHE
    assert setting("CACHES['shared']['BACKEND']", environment) == REDIS_CACHE


@override_settings(
    CACHES={
        "default": {"BACKEND": DATABASE_CACHE, "LOCATION": "alongside_shared_cache"},
        "shared": {
            "BACKEND": DATABASE_CACHE,
            "LOCATION": "alongside_shared_cache",
            "KEY_PREFIX": "shared",
        },
    }
)
def test_the_two_caches_share_the_table_without_reading_each_others_keys(db: None) -> None:
    caches["default"].set("attempts", 1)
    caches["shared"].set("attempts", 2)

    assert caches["default"].get("attempts") == 1
    assert caches["shared"].get("attempts") == 2
