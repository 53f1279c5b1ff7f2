"""gunicorn's configuration: `gunicorn --config python:config.gunicorn config.wsgi` (the Procfile).

The numbers come from the environment through config/settings.py (WEB_SERVER; every variable is
in .env.example), so the demo `make run` serves and a production server are started alike and
tuned in one place. config/wsgi.py runs Alongside's system checks in each process before it
answers anything.
"""

from pathlib import Path
from typing import Any

from config.settings import LOG_FORMAT, METRICS_DIR, WEB_SERVER

bind = WEB_SERVER["bind"]
workers = WEB_SERVER["workers"]
# Threads answer several requests at once in one process (a request mostly waits on the
# database); the huey worker runs the work that grows with a program.
worker_class = "gthread"
threads = WEB_SERVER["threads"]
timeout = WEB_SERVER["timeout"]
graceful_timeout = WEB_SERVER["graceful_timeout"]
backlog = WEB_SERVER["backlog"]
# Behind a reverse proxy that keeps connections open to us.
keepalive = 5
# No control socket: nothing here uses gunicornc, and two servers on one machine would share
# its default path ($HOME/.gunicorn/gunicorn.ctl).
control_socket_disable = True

# One line a request: method, path, status, size, time and request id. The path never carries
# its query string (%(U)s), which may hold what someone typed into a search (a person's name),
# and the line names no client address.
accesslog = "-"
errorlog = "-"
# The request id the proxy gave, or the one we made (alongside.core.request_id), as on the
# response: the proxy's access log, ours and the app's lines share it.
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms %({x-request-id}o)s'

if LOG_FORMAT == "json":
    # The server's own lines as JSON too (an access line is the message). gunicorn lays this
    # over its defaults key by key, so each key is given whole.
    logconfig_dict = {
        "formatters": {
            "json": {
                "()": "alongside.core.request_log.JsonLines",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "root": {"level": "INFO", "handlers": ["console"]},
        "loggers": {
            name: {"level": "INFO", "handlers": ["console"], "propagate": False}
            for name in ("gunicorn.error", "gunicorn.access")
        },
    }


# Metrics of several workers (docs/adr/0011): each writes its own files under METRICS_DIR.
def on_starting(server: Any) -> None:
    """Forget the numbers of the processes of a previous start: their pids may come again."""
    if METRICS_DIR:
        for stale in Path(METRICS_DIR).glob("*.db"):
            stale.unlink(missing_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that ends leaves its counts (they still add up); its live gauges go."""
    if METRICS_DIR:
        # Imported here: prometheus-client chooses its multiprocess mode when its first metric
        # module is imported, after config.settings has set PROMETHEUS_MULTIPROC_DIR.
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid, path=METRICS_DIR)  # type: ignore[no-untyped-call]
