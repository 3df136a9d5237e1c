"""gunicorn settings, read from the environment through settings.py.

    gunicorn -c gunicorn.conf.py app:server        (or: make serve)

WEB_CONCURRENCY worker processes (default 2 x CPUs), CC_THREADS threads each
(default 4), bound to HOST:PORT (default 127.0.0.1:8050; HOST=0.0.0.0 behind a
reverse proxy), CC_TIMEOUT seconds per request (default 60), CC_ACCESS_LOG a
file or '-' for stderr. The app is not preloaded: every worker imports it and
opens its own read-only DuckDB connections to the snapshot named by CURRENT.
Set CC_REDIS_URL so that the workers (and hosts) share one query cache, and
CC_SECRET_KEY (the session cookies' key) the same for every host.
"""

import gunicorn.http.wsgi

import settings

# No server banner (the hardening): gunicorn names itself in a Server
# header on every answer; the workers, forked from here, say this instead.
gunicorn.http.wsgi.SERVER = "command-center"

bind = f"{settings.host()}:{settings.port()}"
workers = settings.web_concurrency()
worker_class = "gthread"
threads = settings.web_threads()
timeout = settings.web_timeout()
graceful_timeout = 30
keepalive = 5
preload_app = False
accesslog = settings.access_log()
errorlog = "-"
# Headers from the reverse proxy on this host are trusted (X-Forwarded-*).
forwarded_allow_ips = "127.0.0.1"
