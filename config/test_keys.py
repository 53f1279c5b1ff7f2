"""The fixed keys of the test suite: settings use them only when ALONGSIDE_TESTING is true, and
config/checks.py (alongside.E009) refuses to start anything else with them."""

TEST_SECRET_KEY = "test-only-secret-key-never-used-outside-the-test-suite-0123456789"  # noqa: S105
TEST_FIELD_KEY = "dGVzdC1vbmx5LWZpZWxkLWtleS0wMTIzNDU2Nzg5YWI="
TEST_INDEX_KEY = "test-only-blind-index-key-never-used-outside-the-test-suite"
