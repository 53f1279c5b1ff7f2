"""gunicorn's configuration: `gunicorn --config python:config.gunicorn config.wsgi` (the Procfile).

The numbers come from the environment through config/settings.py (WEB_SERVER; every variable is
in .env.example), so the demo `make run` serves and a production server are started alike and
tuned in one place. config/wsgi.py runs Alongside's system checks in each process before it
answers anything.
"""

from config.settings import WEB_SERVER

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

# One line a request: method, path, status, size and time. The path never carries its query
# string (%(U)s), which may hold what someone typed into a search (a person's name), and the
# line names no client address.
accesslog = "-"
access_log_format = '"%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
