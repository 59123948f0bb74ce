"""Writes of the Forum ouvert: keyword-only services, atomic, audited.

Split by subdomain: ``calls`` (phases, collèges, criteria, results), ``applications``
(applying), ``reviews`` (scores, decisions, notices), ``meetings``, ``rgpd``.
"""

from .rgpd import forget_user

__all__ = ["forget_user"]
