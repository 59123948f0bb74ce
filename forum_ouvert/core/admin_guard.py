"""Fields the Django admin shows but never edits: what a state machine moves, what the
public history or the audit log records. They change through the back-office services,
which check the transition and write the journal or audit row; an admin form that wrote
them would be a second road to the data that leaves no trace.

When to use it:

- a model with such fields declares them in ``admin_guarded_fields`` (``"__all__"`` for a
  record the admin only reads, such as a history row or a snapshot);
- every ``ModelAdmin`` and inline of the site takes :class:`GuardedAdmin`, which adds those
  fields to its read-only fields, on the add form as on the change form. A model whose very
  creation is journaled (a milestone, an evidence, a registration) also refuses ``add``;
- a record the admin only lists and reads (a journal, the audit log, the e-mails sent)
  takes :class:`ReadOnlyAdmin` instead: no add, no change, no delete.

``tests/core/test_admin_guard.py`` walks ``admin.site`` and fails when a guarded field is
editable, or when a field named like a state (``status``, ``state``, ``phase``) is not
declared.
"""

from __future__ import annotations

from django.db import models

ATTRIBUTE = "admin_guarded_fields"


def guarded_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The names of ``model``'s fields that only its services change."""
    declared = getattr(model, ATTRIBUTE, ())
    if declared == "__all__":
        return tuple(
            field.name
            for field in model._meta.get_fields()
            if (field.concrete or field.many_to_many)
            and not field.auto_created
            and not getattr(field, "generated", False)  # PostgreSQL writes it
            and not getattr(field, "primary_key", False)
        )
    return tuple(declared)


class GuardedAdmin:
    """Mixin for a ``ModelAdmin`` or an inline: the model's guarded fields are read-only."""

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in guarded_fields(self.model) if name not in readonly]


class ReadOnlyAdmin(GuardedAdmin):
    """Mixin for a ``ModelAdmin`` or an inline that only shows its records: adding,
    changing and deleting are refused (``obj`` is the parent object for an inline)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
