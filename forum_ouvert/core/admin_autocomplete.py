"""Admin autocomplete fields that survive a value which is not a key.

Django's autocomplete widgets look the submitted values up again to redisplay a refused
form; a value that is not a valid key of the target (``' AND 1=1``, sent by sqlmap on
``/admin/workshops/workshop/add/``) raised ``ValueError`` in that lookup: HTTP 500 instead
of the form with its error. These widgets drop such values before the lookup (the form
field has already refused them with a message), and :class:`SafeAutocompleteAdmin` puts
them in place of Django's for every field of ``autocomplete_fields``. They also name
select2's combobox by the field's label (``forum_ouvert/admin-autocomplete.js``).
"""

from __future__ import annotations

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError


class _ValidKeysOnly:
    @property
    def media(self):
        """Django's select2 files, then the script that names select2's combobox by the
        field's label (an empty field had no accessible name)."""
        return super().media + forms.Media(js=["forum_ouvert/admin-autocomplete.js"])

    def optgroups(self, name, value, attr=None):
        target_opts = self.field.remote_field.model._meta
        target = target_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or target_opts.pk.name
        )
        valid = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, TypeError, ValueError):
                continue
            valid.append(item)
        return super().optgroups(name, valid, attr)


class SafeAutocompleteSelect(_ValidKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(_ValidKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdmin:
    """A ModelAdmin mixin: ``autocomplete_fields`` with the widgets above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
