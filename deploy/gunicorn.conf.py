"""gunicorn settings for production, behind nginx or Caddy (deploy/nginx.conf, deploy/Caddyfile).

    LERNPFAD_PROXY_FIX=1 LERNPFAD_BASE_URL=https://lernpfad.example.org \
        gunicorn -c deploy/gunicorn.conf.py

Threaded workers (gthread): a client that sends slowly holds one thread, not a whole worker.
The proxy in front reads every request completely before it reaches gunicorn, so stalled clients
wait there. Environment: GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_BIND.
"""

import os

wsgi_app = "lernpfad:create_app()"

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # only the proxy talks to gunicorn
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

timeout = 30  # a worker silent this long is restarted
graceful_timeout = 30  # on stop or reload, running requests get this long to finish
keepalive = 5  # seconds an idle connection is kept open

# Request line and headers: small limits, the app needs neither long URLs nor many headers.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Only the proxy may say which scheme the client used, and only in the header it sets itself
# (nginx and Caddy overwrite X-Forwarded-Proto; other scheme headers pass through). The proxy runs
# on this host, or on another with several app hosts: FORWARDED_ALLOW_IPS=<its address>.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

accesslog = None  # the proxy logs requests; "-" writes gunicorn's access log to stdout
errorlog = "-"
