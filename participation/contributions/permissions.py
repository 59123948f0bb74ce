"""Permission checks that apply the rules to every account, superusers included.

Django's ``PermissionsMixin.has_perm`` answers True to an active superuser for any
permission, so ``access.permission`` would let the admin edit someone else's
contribution or download someone else's attestation. Ownership is not a privilege:
these helpers ask django-rules directly (``rules.has_perm``), which has no such shortcut.
"""

from __future__ import annotations

from collections.abc import Callable

import rules
from django.core.exceptions import PermissionDenied

from forum_ouvert.core import access


def allowed(user, perm: str, obj=None) -> bool:
    """What the rule says for ``user`` (superuser or not)."""
    return bool(user is not None and rules.has_perm(perm, user, obj))


def strict_permission(perm: str, get_object: Callable) -> Callable:
    """``access.permission(perm, get_object)``, with the rule also applied to superusers."""

    def checked(request, *args, **kwargs):
        obj = get_object(request, *args, **kwargs)
        if not allowed(request.user, perm, obj):
            raise PermissionDenied
        return obj

    return access.permission(perm, get_object=checked)
