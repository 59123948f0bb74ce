"""Who may do what: the one way to ask "may this person do this to this object", and the
decorators every view of the site is wrapped by.

Asking (views, services, templates alike; never ``user.has_perm``, never bare
``rules.has_perm``, never ``perms.*`` in a template):

- ``may(user, perm, obj=None)``: what the django-rules permission says for ``user`` and
  ``obj``. Superusers get no blanket yes (``user.has_perm`` gives them one): ownership
  and phases bind admins too (an admin may not edit someone else's contribution, nor
  score a call still open). Anonymous visitors and ``None`` are asked like anyone.
- ``require(user, perm, obj=None)``: ``PermissionDenied`` unless ``may``; a service calls
  it first thing when the act is not the view's own (the view is already decorated).
- ``abilities(user, obj, name=perm, …)``: ``{name: may(user, perm, obj)}``, what a
  template reads to show only the buttons that work (``{% if abilities.update %}``).
- In a template without such a dict, ``{% may "app.perm" obj as name %}`` (library
  ``forum_ouvert``) asks the same question.

Writing (issue 19, item 9): a person blocked by staff may read but not write. Every
service that writes on behalf of a participant calls ``require_may_write(user)`` first:
one check, a French ``ValidationError`` (code ``"blocked"``) that the view's form shows
like any other refusal (``core.forms.add_errors``), never a 500.

Decorating views: each decorator records the rule on the view (``view.access``) so that a
test can check that no URL of the site was left without a stated rule.

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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def may(user, perm: str, obj=None) -> bool:
    """Whether ``user`` may ``perm`` on ``obj`` by the rules (superusers included)."""
    return bool(user is not None and rules.has_perm(perm, user, obj))


def require(user, perm: str, obj=None) -> None:
    """Raise ``PermissionDenied`` unless ``may(user, perm, obj)``."""
    if not may(user, perm, obj):
        raise PermissionDenied(perm)


def abilities(user, obj=None, **perms: str) -> dict[str, bool]:
    """``{name: may(user, perm, obj)}`` for each ``name=perm``: the template's view of
    what ``user`` may do with ``obj``."""
    return {name: may(user, perm, obj) for name, perm in perms.items()}


def active_block(user):
    """The block that stops ``user`` writing now, or None (one query, on an index)."""
    if user is None or not getattr(user, "pk", None):
        return None
    from .models import UserBlock

    now = timezone.now()
    block = UserBlock.objects.filter(user_id=user.pk, lifted_at__isnull=True).first()
    return block if block is not None and block.is_active_on(now) else None


def require_may_write(user) -> None:
    """Raise a French ``ValidationError`` (code ``"blocked"``) if ``user`` is blocked."""
    block = active_block(user)
    if block is None:
        return
    if block.until is None:
        message = _(
            "Votre compte est bloqué par l'équipe de modération : vous pouvez lire le site, "
            "mais pas y écrire. Motif : %(reason)s"
        ) % {"reason": block.reason}
    else:
        until = formats.date_format(timezone.localtime(block.until), "j F Y à H:i")
        message = _(
            "Votre compte est bloqué par l'équipe de modération jusqu'au %(until)s : vous "
            "pouvez lire le site, mais pas y écrire. Motif : %(reason)s"
        ) % {"until": until, "reason": block.reason}
    raise ValidationError(message, code="blocked")


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
    Anyone refused ``perm`` who may not see the object either (anonymous visitors included)
    gets 404, as for an id that does not exist; one who may see it gets 403 (or, anonymous,
    the login page)."""
    if private and get_object is None:
        raise ValueError("private= needs get_object=")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            logged_in = request.user.is_authenticated and request.user.is_active
            if not logged_in and not anonymous:
                return redirect_to_login(request.get_full_path())
            obj = get_object(request, *args, **kwargs) if get_object else None
            if not may(request.user, perm, obj):
                hidden = private is True or (private and not may(request.user, private, obj))
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
