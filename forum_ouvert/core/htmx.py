"""One URL, the whole page or the fragment htmx swaps: the only place that decides.

Use it in every view whose template has an htmx-swapped region (filters, pagination, an
inline form, a polled status). Declare the page once, next to its view, with each region
htmx may ask for: the ``id`` of the element ``hx-target`` points to and the
``{% partialdef %}`` that draws it, side by side, so that they cannot drift apart::

    COMMITMENT_LIST = htmx.Page(
        "engagements/commitment_list.html", htmx.Fragment("results", target="resultats")
    )

    def commitment_list(request):
        ...
        return COMMITMENT_LIST.render(request, context)

- ``Page.render`` answers the partial only to an htmx request that is not a history
  restore (with ``historyCacheSize: 0`` and ``refreshOnHistoryMiss`` the Back button reloads
  the page; should htmx ask for it instead, that request needs the header, the title and the
  filters) nor a boosted link; the
  partial is the one whose ``target`` htmx names in ``HX-Target`` (the first one when htmx
  sends none). Every other request gets the whole page.
- ``Page.render_fragment`` is for endpoints that only ever answer a region (a polled
  status, a « Suivre » button), optionally with out-of-band pieces.
- ``Page.fragment_for`` tells a view whether a fragment is wanted, for views that skip
  work the fragment does not show, or redirect when it is not.

Every response says ``Vary`` on the headers the choice reads, so that no cache hands a
fragment to a browser that asked for the page. ``tests/htmx.py`` applies the swap to the
page and compares it with a fresh render: write such a test for every declared fragment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers

#: The request headers that decide between the page and a fragment.
VARY = ("HX-Request", "HX-Target", "HX-Boosted", "HX-History-Restore-Request")


@dataclass(frozen=True)
class Fragment:
    """A region htmx swaps: ``partial`` (a ``{% partialdef %}`` name) draws the element
    whose ``id`` is ``target`` (for ``outerHTML``) or its content (for ``innerHTML``).
    A target ending in ``*`` names a family of ids (``soutien-*``: one per contribution)."""

    partial: str
    target: str


class Page:
    """A page template and the fragments of it that htmx may ask for."""

    def __init__(self, template: str, *fragments: Fragment):
        self.template = template
        self.fragments = {fragment.target: fragment for fragment in fragments}
        if len(self.fragments) != len(fragments):
            raise ValueError(f"{template}: two fragments declare the same target")

    def fragment_for(self, request: HttpRequest) -> Fragment | None:
        """The fragment this request asks for, or None when it needs the whole page."""
        htmx = getattr(request, "htmx", None)
        if not htmx or htmx.history_restore_request or htmx.boosted:
            return None
        if htmx.target is None:
            return next(iter(self.fragments.values()), None)
        for target, fragment in self.fragments.items():
            if htmx.target == target or (
                target.endswith("*") and htmx.target.startswith(target[:-1])
            ):
                return fragment
        return None

    def render(self, request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
        """The whole page, or the fragment htmx asks for (see the module's docstring)."""
        fragment = self.fragment_for(request)
        name = self._name(fragment) if fragment else self.template
        response = render(request, name, context, status=status)
        patch_vary_headers(response, VARY)
        return response

    def render_fragment(
        self,
        request: HttpRequest,
        target: str,
        context: dict,
        *,
        oob: tuple[str, ...] = (),
        status: int = 200,
    ) -> HttpResponse:
        """Only the fragment of ``target``, followed by the out-of-band partials ``oob``
        (each carries ``hx-swap-oob`` and its own ``id``)."""
        names = [self._name(self.fragments[target]), *(f"{self.template}#{p}" for p in oob)]
        html = "".join(render_to_string(name, context, request) for name in names)
        response = HttpResponse(html, status=status)
        patch_vary_headers(response, VARY)
        return response

    def _name(self, fragment: Fragment) -> str:
        return f"{self.template}#{fragment.partial}"
