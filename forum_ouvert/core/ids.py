"""Ids from the outside world (a URL, a form's checkboxes) bounded before the database.

PostgreSQL's ``bigint`` stops at 2^63 − 1: psycopg refuses a larger Python ``int`` with an
``OverflowError``, which Django turns into a 500 for ``pk__in`` (its ``exact`` lookup already
matches nothing instead). So every id from a request is checked here, in one place:

- in a URL, ``<id:pk>`` (registered by ``CoreConfig.ready``) instead of ``<int:pk>``: an id
  out of range does not match, the answer is a 404;
- in a form, ``core.forms.ModelMultipleChoiceField`` instead of Django's: a value out of the
  range of the key's column is an invalid choice, the form comes back with its error (or the
  view answers 400), never a query.
"""

from __future__ import annotations

#: The largest value of a PostgreSQL ``bigint`` (``BigAutoField``).
ID_MAX = 2**63 - 1


class IdConverter:
    """``<id:pk>``: a positive integer that fits in a ``bigint``, else no match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= ID_MAX:
            raise ValueError(f"id out of range: {value}")
        return number

    def to_url(self, value) -> str:
        return str(self.to_python(str(int(value))))
