"""WSGI entry point: `gunicorn config.wsgi` (or any WSGI server).

manage.py runs Django's system checks before runserver and run_huey; a WSGI server does not,
so they run here, once per process, before the first request: a server whose field keys
cannot open the stored data (alongside.E008) refuses to start rather than serve errors.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from config.checks import refuse_to_serve_on_errors  # noqa: E402  (needs Django set up)

refuse_to_serve_on_errors()
