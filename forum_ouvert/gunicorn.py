"""gunicorn settings shared by every deployment: ``gunicorn -c python:forum_ouvert.gunicorn``
(Dockerfile, docker-compose.yml, ``make verify`` and ``make scan``).

Synchronous workers, one request at a time per process. Threaded workers (``gthread``)
were measured with ``make verify`` and rejected: pages are CPU-bound Python and every
query releases and re-takes the GIL, so with 8 threads per process the p95 during the
500-user spike went from 121 ms to 523 ms (and keep-alive connections closed under the
clients' feet). Set ``GUNICORN_THREADS`` above 1 to try them on other hardware.

Environment: ``WEB_CONCURRENCY`` (processes, 2 by default: about one per core),
``GUNICORN_THREADS`` (1: synchronous workers), ``GUNICORN_BIND`` (``0.0.0.0:8000``),
``GUNICORN_ACCESS_LOG`` (``-``: stdout), ``GUNICORN_MAX_REQUESTS`` (1,000,000).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# A worker stuck longer than this is replaced (the longest page is well under a second;
# PDF reports and exports run in Celery).
timeout = 30
graceful_timeout = 30
keepalive = 5
# No control socket: nothing manages the server through it, and it is one file less to secure.
control_socket_disable = True
# Bound the memory a worker may grow to (a leak in a library): replaced after this many
# requests, at staggered moments. Sized for the page cache's throughput: cached pages are
# served at ~1,000 requests/s per worker (make verify: 1,440-1,940 req/s for 2 workers)
# and a new worker takes 2-10 s to boot, during which the server has one worker fewer: 5,000
# requests replaced each worker every 5-20 s, so that one of the two was often booting.
# One million (±10 %) is a restart every ~17 min per worker at full cached speed (booting
# under 1 % of the time), hours apart at usual load, and still bounds a leak.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000000"))
max_requests_jitter = max_requests // 10
