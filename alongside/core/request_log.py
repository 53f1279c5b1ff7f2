"""The development server's request lines, without their query strings.

A picker's search sends what was typed (often a person's name) in the query string of a GET;
the development server (`make run`) logs each request line whole. This filter, set on the
`django.server` logger in settings, keeps the path and drops the query, so no name reaches the
logs. A production server's access log, when one is added, must leave them out too.
"""

import logging
import re

_QUERY = re.compile(r"\?\S*")


class WithoutQueryStrings(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and record.args and isinstance(record.args[0], str):
            record.args = (_QUERY.sub("?…", record.args[0], count=1), *record.args[1:])
        return True
