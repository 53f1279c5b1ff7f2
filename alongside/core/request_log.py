"""What every log line carries, and what none may: its request's id, never a query string.

Each line gets the id of the request that caused it (`request_id`, set by
alongside.core.middleware.RequestIdMiddleware; "-" outside a request: the worker, a command).

In JSON (ALONGSIDE_LOG_FORMAT=json) a line holds the fields its format names and an error's
traceback, and nothing else a record carries: Django's request lines carry the request itself,
whose text holds the query string.

The development server's request lines lose their query strings.

A picker's search sends what was typed (often a person's name) in the query string of a GET;
the development server (`make run`) logs each request line whole. This filter, set on the
`django.server` logger in settings, keeps the path and drops the query, so no name reaches the
logs. A production server's access log, when one is added, must leave them out too.
"""

import logging
import re
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

_QUERY = re.compile(r"\?\S*")
NO_REQUEST = "-"

current_request_id: ContextVar[str] = ContextVar("current_request_id", default=NO_REQUEST)


def forget_request_id(**kwargs: object) -> None:
    """On request_finished: the lines logged after a request are no longer its."""
    current_request_id.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record as `request_id` (set on the handler, so
    the lines of every logger carry it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get()
        return True


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_QUERY.sub("?…", record.args[0], count=1), *record.args[1:])
        return True


class JsonLines(JsonFormatter):
    """python-json-logger's lines, without the records' extra attributes."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        kept = {self._get_rename(name) for name in self._required_fields}
        for key in set(log_data) - kept - {"exc_info", "stack_info"}:
            del log_data[key]
