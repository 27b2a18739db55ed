"""What a web process loads before it serves anyone.

Django imports the URL configuration — and with it every view, serialiser, form and the
export libraries they import — and each language's translations on the first request that
needs them. In a fresh web worker that first request took 0.8-1.1 s (measured through
gunicorn on the bench region, 29 November), so whichever analyst's request a new worker
happened to accept waited a second: the isolated slow requests in the API's p95
(docs/BENCHMARKS.md). ``load_before_serving`` does that work when the process starts
(``portal/wsgi.py``), before gunicorn lets the worker accept a connection. The portal runs
gunicorn with ``--preload`` (Dockerfile, docker-compose.yml, ``make demo``, the bench): this
is then done once, in the master, and the workers forked from it share the memory and are
ready at once (without it, four workers loading at the same time slowed the first requests
of those already serving). It opens no connection to PostgreSQL or Redis: those belong to
each worker, after the fork.
"""

from __future__ import annotations

from django.conf import settings


def load_before_serving() -> None:
    from django.urls import get_resolver
    from django.utils.translation import trans_real

    get_resolver().url_patterns  # noqa: B018 - imports the URL conf and every view
    import redis  # noqa: F401 - the cache and rate-limit client's library

    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)
