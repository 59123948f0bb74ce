"""State machines: the allowed transitions as data, and the one ``move()`` that changes a state.

When to use it: every model with a status (a commitment, a milestone, a call, an
application, a workshop, a report, a contribution…) declares one ``StateMachine`` beside
its choices, and every service that changes that status calls ``machine.move(…)`` inside
its ``transaction.atomic``. Never assign the status field by hand, never re-code the check.

``move()``
- refuses a transition that is not listed (``check()``), with a French error that names the current
  state, the wanted one and the allowed next states (« Passage de « Achevé » à « Limité »
  impossible ; états possibles : « Substantiel ». »), code ``"transition"``;
- sets the field, saves it (or lets the caller save, with ``save=False``, when other
  fields change and the model must be fully validated first);
- writes the audit row (``core.audit.audit_log``) in the same transaction: who, the
  action code, ``{field: [old, new]}`` plus any other ``changes``, and the reason.

Staying in the same state is a transition like the others: list it (``A -> {A}``) when it
is allowed (a decision revised, an edit sent back to moderation).

Use ``machine.allows(current, new)`` or ``machine.next_states(current)`` to show only the
buttons that work; use ``machine.check(current, new)`` when a service must refuse before
it does anything else (e.g. before sending a file to storage).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .audit import audit_log


@dataclass(frozen=True)
class StateMachine:
    """The allowed transitions of one status field of one model.

    ``transitions`` maps each state to the states it may go to (a state absent or mapped
    to nothing is final). ``action`` is the audit code written by ``move()`` unless the
    caller gives a more precise one. ``error_field``, when set, puts the refusal on that
    form field (``{"status": …}``) rather than at the top of the form. ``hint`` is a
    sentence added to every refusal (another way to reach the wanted state, for example).
    """

    field: str
    states: type[models.TextChoices]
    transitions: Mapping[str, Collection[str]]
    action: str
    error_field: str | None = None
    hint: str = ""
    _order: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        unknown = {
            state
            for source, targets in self.transitions.items()
            for state in (source, *targets)
            if state not in self.states.values
        }
        if unknown:
            raise ValueError(f"{self.action}: unknown states {sorted(unknown)}")
        object.__setattr__(self, "_order", {v: i for i, v in enumerate(self.states.values)})

    def label(self, state: str) -> str:
        """The French label of ``state`` (the raw value when unknown)."""
        return str(dict(self.states.choices).get(state, state))

    def next_states(self, current: str) -> list[str]:
        """The states ``current`` may go to, in the order of the choices."""
        return sorted(self.transitions.get(current, ()), key=self._order.__getitem__)

    def allows(self, current: str, new: str) -> bool:
        return new in self.transitions.get(current, ())

    def refusal(self, current: str, new: str) -> ValidationError:
        """The French error for a refused transition, naming the allowed next states."""
        possible = self.next_states(current)
        params = {"old": self.label(current), "new": self.label(new)}
        if possible:
            message = _(
                "Passage de « %(old)s » à « %(new)s » impossible ; états possibles : %(possible)s."
            ) % {**params, "possible": ", ".join(f"« {self.label(s)} »" for s in possible)}
        else:
            final = _("Passage de « %(old)s » à « %(new)s » impossible : « %(old)s » est final.")
            message = final % params
        if self.hint:
            message = f"{message} {self.hint}"
        error = ValidationError(message, code="transition")
        return ValidationError({self.error_field: error}) if self.error_field else error

    def check(self, current: str, new: str) -> None:
        """Raise ``refusal()`` unless ``current → new`` is listed."""
        if not self.allows(current, new):
            raise self.refusal(current, new)

    def move(
        self,
        instance: models.Model,
        new: str,
        *,
        actor,
        reason: str = "",
        action: str | None = None,
        changes: dict[str, Any] | None = None,
        save: bool = True,
        update_fields: Collection[str] = (),
    ):
        """Move ``instance`` to ``new``: check, set, save, audit (see the module docstring).

        ``update_fields`` are other fields the caller changed and wants saved with the
        state; with ``save=False`` the caller saves (after ``full_clean()``) itself, in
        the same transaction. Returns the audit row.
        """
        old = getattr(instance, self.field)
        self.check(old, new)
        setattr(instance, self.field, new)
        if save:
            fields = {self.field, *update_fields}
            if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
                fields.add("updated_at")
            instance.save(update_fields=sorted(fields))
        return audit_log(
            actor=actor,
            action=action or self.action,
            target=instance,
            changes={self.field: [old, new], **(changes or {})},
            reason=reason,
        )
