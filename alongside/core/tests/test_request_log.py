import logging

from alongside.core.request_log import WithoutQueryStrings


def test_the_development_servers_request_line_keeps_its_path_but_not_a_searched_name(caplog):
    logger = logging.getLogger("django.server")
    handler_records: list[logging.LogRecord] = []

    with caplog.at_level(logging.INFO, logger="django.server"):
        logger.info(
            '"%s" %s %s',
            "GET /requests/7/supporters/?name=supporter&supporter-search=Alex HTTP/1.1",
            "200",
            "512",
        )
    handler_records = [record for record in caplog.records if record.name == "django.server"]

    assert handler_records
    assert handler_records[-1].getMessage() == '"GET /requests/7/supporters/?… HTTP/1.1" 200 512'


def test_a_line_without_a_query_is_left_as_it_is():
    record = logging.LogRecord(
        "django.server", logging.INFO, "", 0, '"%s" %s', ("GET / HTTP/1.1", "200"), None
    )

    WithoutQueryStrings().filter(record)

    assert record.getMessage() == '"GET / HTTP/1.1" 200'
