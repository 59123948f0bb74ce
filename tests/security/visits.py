"""The pages of the site that a browser test visits: every URL of the permission matrix that
someone reads with a GET, as the person it concerns (the XSS corpus, axe and reflow walks)."""

from __future__ import annotations

from django.urls import reverse

from forum_ouvert.core.choices import Role
from tests.security.conftest import resolve_kwargs
from tests.security.permission_matrix import MATRIX

#: Roles tried, in this order, to see a page that several roles may see (staff see most).
ROLE_PREFERENCE = (Role.STAFF, Role.ADMIN, Role.LEAD, Role.ASSOCIATION, Role.CITIZEN, None)


def matrix_visits(w) -> list[tuple[object, str]]:
    """(role, path) for each URL of the permission matrix that someone reads with a GET:
    as the owner for owned objects, else as the most privileged role that gets a 200."""
    visits = []
    roles = (None, Role.CITIZEN, Role.ASSOCIATION, Role.LEAD, Role.STAFF, Role.ADMIN)
    for case in MATRIX:
        if case.get is None:
            continue
        allowed = {role for role, outcome in zip(roles, case.get, strict=True) if outcome == 200}
        if not allowed:
            continue
        role = (
            case.owner
            if case.owner in allowed
            else next(r for r in ROLE_PREFERENCE if r in allowed)
        )
        path = reverse(case.url, kwargs=resolve_kwargs(case.kwargs, w))
        visits.append((role, path))
    # Pages whose content depends on who reads them: each of the people it concerns.
    for role in (Role.CITIZEN, Role.ASSOCIATION, Role.LEAD):
        visits.append((role, reverse("portal:my_space")))
    visits += [
        (Role.ASSOCIATION, reverse("forum:my_applications")),
        (Role.ASSOCIATION, reverse("forum:my_application", args=[w.application_a.pk])),
        (Role.LEAD, reverse("portal:dashboard")),
        (Role.LEAD, reverse("engagements:bo_commitment_list")),
        (None, reverse("contributions:index")),
        (None, w.contribution_a.get_absolute_url()),
        (Role.CITIZEN, reverse("portal:attestation")),
    ]
    return visits
