"""Undefined template variables fail the tests (style guide, rule 18).

When it applies: only under the test settings, which set the engine's
``string_if_invalid`` to ``STRICT_STRING_IF_INVALID``. Production keeps Django's default
(``""``: an undefined variable prints nothing), so a slip there is silent; the tests are
where it must be loud.

Django uses ``string_if_invalid`` when a variable it *outputs* or *passes on* is missing:
``{{ x }}``, ``{{ x|filter }}`` (the filters are then skipped, ``|default`` included),
``{% url 'n' x %}``, ``{% include … with a=x %}``, ``{% with a=x %}``,
``{% blocktranslate %}``'s placeholders. It does not for ``{% if x %}``, ``{% for a in x %}``
or ``{% firstof %}``, which test for absence and are the way to say « may be missing ».
In our templates, a variable that may legitimately be absent is therefore tested with
``{% if %}`` or passed by the view (as ``None`` if need be); ``|default`` alone does not
cover an *undefined* variable, only an empty one.

Whose templates: ours (a file under the project directory, outside any ``site-packages``)
raise ``UndefinedTemplateVariable``. Third-party templates (the admin, allauth, django-dsfr,
Django's form widgets…) are tolerated: they render as in production, the filters applied to
``""``. The template is the one the *node* comes from, not the one rendering: a block of
ours inside a third-party layout is ours, a third-party block inside our layout is theirs.
"""

import contextlib
import copy
import sys
from pathlib import Path

from django.conf import settings
from django.template.base import FilterExpression, Node

__all__ = ["STRICT_STRING_IF_INVALID", "UndefinedTemplateVariable", "is_project_template"]


class UndefinedTemplateVariable(Exception):
    """A template of ours used a variable its context does not hold.

    A plain ``Exception`` on purpose: Django turns ``TypeError``, ``AttributeError``,
    ``KeyError``, ``ValueError`` and ``IndexError`` raised during a lookup into a silent
    ``VariableDoesNotExist``, which would hide this one again.
    """


def is_project_template(origin_name: str | None) -> bool:
    """Whether a template file is the project's own (strict), not a dependency's."""
    if not origin_name:
        return False
    path = Path(origin_name)
    if not path.is_absolute() or "site-packages" in path.parts:
        return False
    return path.is_relative_to(Path(settings.BASE_DIR))


def _rendering_node(frame):
    """The template node whose rendering asked for the missing variable, and the frame
    of the ``FilterExpression.resolve`` call that did (or ``None``)."""
    resolve_frame = None
    while frame is not None:
        owner = frame.f_locals.get("self")
        if isinstance(owner, FilterExpression) and resolve_frame is None:
            resolve_frame = frame
        elif isinstance(owner, Node):
            return owner, resolve_frame
        frame = frame.f_back
    return None, resolve_frame


def _describe(node, name) -> str:
    origin = getattr(node, "origin", None)
    where = getattr(origin, "name", None) or "?"
    with contextlib.suppress(ValueError):  # not ours: the full path says whose
        where = str(Path(where).relative_to(settings.BASE_DIR))
    token = getattr(node, "token", None)
    line = f", ligne {token.lineno}" if token is not None and token.lineno else ""
    return f"Variable de gabarit indéfinie « {name} » dans {where}{line}."


class _StrictStringIfInvalid(str):
    """``string_if_invalid`` that raises in our templates and is ``""`` in others'.

    Django formats it with the missing variable (``string_if_invalid % var``) when it holds
    ``%s``. Some lookups also hand the value itself over *as the variable's value*: a related
    object that does not exist (``contribution.response``, whose ``DoesNotExist`` is a
    « silent » failure), a method that needs arguments. That value must then behave as
    production's ``""``: false for ``{% if %}`` and ``|default`` (``__bool__``), and printed,
    it raises in our templates (``__str__``). Only ``FilterExpression.resolve``'s own test
    (« is a replacement configured? ») sees it true.
    """

    def __bool__(self):
        return sys._getframe(1).f_code is _FILTER_EXPRESSION_RESOLVE

    def __mod__(self, variable):
        node, resolve_frame = _rendering_node(sys._getframe(1))
        if node is not None and is_project_template(getattr(node.origin, "name", None)):
            raise UndefinedTemplateVariable(_describe(node, variable))
        if resolve_frame is not None:
            # As in production: the filters run on "" (``|default`` shows its value).
            expression = resolve_frame.f_locals["self"]
            tolerant = copy.copy(expression)
            tolerant.is_var, tolerant.var = False, ""
            return tolerant.resolve(resolve_frame.f_locals["context"])
        return ""

    def __str__(self):
        node, _ = _rendering_node(sys._getframe(1))
        if node is not None and is_project_template(getattr(node.origin, "name", None)):
            what = "(objet lié absent ou méthode à arguments)"
            raise UndefinedTemplateVariable(_describe(node, what))
        return ""


_FILTER_EXPRESSION_RESOLVE = FilterExpression.resolve.__code__
STRICT_STRING_IF_INVALID = _StrictStringIfInvalid("%s")
