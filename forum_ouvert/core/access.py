"""Who may use a view: every view of the site is wrapped by one of these decorators.

Each decorator records the rule on the view (``view.access``) so that a test can check
that no URL of the site was left without a stated rule.

- ``public``: anyone, including anonymous visitors.
- ``login``: any logged-in, active account; anonymous visitors go to the login page.
- ``permission(perm, get_object=None)``: a django-rules permission, checked with the
  object in hand when ``get_object(request, **kwargs)`` is given. Anonymous visitors go
  to the login page; logged-in people without the permission get 403, or 404 when the
  object is private to them (``private=``: the permission that lets one see it), so that
  ids say nothing of what exists: a refusal looks like a missing object. With
  ``anonymous=True`` (the object decides), an anonymous visitor refused a private object
  gets 404 too: a redirect to the login page would tell that the id exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404


def _mark(view, rule: str):
    view.access = rule
    return view


def public(view: Callable) -> Callable:
    return _mark(view, "public")


def login(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active):
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapped, "login")


def permission(
    perm: str,
    get_object: Callable | None = None,
    *,
    anonymous: bool = False,
    private: bool | str = False,
) -> Callable:
    """``anonymous=True``: the permission itself decides for anonymous visitors too (e.g.
    a public document), who go to the login page only when it refuses them.

    ``private``: the permission to see the object, or ``True`` when it is ``perm`` itself.
    A logged-in person refused ``perm`` who may not see the object either gets 404, as for
    an id that does not exist; one who may see it gets 403."""
    if private and get_object is None:
        raise ValueError("private= needs get_object=")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            logged_in = request.user.is_authenticated and request.user.is_active
            if not logged_in and not anonymous:
                return redirect_to_login(request.get_full_path())
            obj = get_object(request, *args, **kwargs) if get_object else None
            # rules.has_perm, not user.has_perm: a superuser passes every Django permission,
            # but object rules (phases, ownership) must hold for admins too.
            if not rules.has_perm(perm, request.user, obj):
                hidden = private is True or (
                    private and not rules.has_perm(private, request.user, obj)
                )
                if hidden:
                    raise Http404
                if not logged_in:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if obj is not None:
                request.permission_object = obj
            return view(request, *args, **kwargs)

        return _mark(wrapped, f"perm:{perm}")

    return decorator
