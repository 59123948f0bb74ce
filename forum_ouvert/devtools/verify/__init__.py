"""``make verify``: slow, measured checks of the production set-up (issue 8).

``python -m forum_ouvert.devtools.verify [throughput load faults scale] [--duration N]``
starts its own PostgreSQL cluster and Redis under ``var/verify/``, gunicorn with the
production settings, and measures; see ``__main__.py``.
"""
