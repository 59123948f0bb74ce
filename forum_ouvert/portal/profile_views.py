"""Public profiles, opt-in (issue 19, item 4): « Mon compte » › ma page publique, and the
page itself, composed from what each app publishes of a person.

Without consent — or for an account closed or anonymised — the page answers 404, exactly
as an id that does not exist: the address says nothing of who has an account.

A block does not close the page (issue 19): a block stops a person writing, and says
nothing of the page they consented to, which shows only what is public anyway (what the
block sent back to review has left its lists until moderators publish it again). The
author links (``{% author_link %}``, which read only the person's row) and the page
therefore agree without reading blocks for each name shown. A blocked person may still
close their page, not open it (``user_set_public_profile``).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core import access
from forum_ouvert.core.forms import BaseForm, add_errors
from forum_ouvert.core.models import User
from forum_ouvert.core.services import user_set_public_profile
from participation.cocreation import selectors as cocreation_selectors
from participation.contributions import selectors as contributions_selectors

PER_PAGE = 20

#: The lists of the page, in the order of its tabs: ``?liste=`` value, label, selector.
LISTS = (
    (
        "contributions",
        gettext_lazy("Contributions"),
        contributions_selectors.public_contributions_of,
    ),
    (
        "propositions",
        gettext_lazy("Propositions d'engagements"),
        cocreation_selectors.public_proposals_of,
    ),
    ("commentaires", gettext_lazy("Commentaires"), contributions_selectors.public_comments_of),
)


class PublicProfileForm(BaseForm):
    public_profile = forms.BooleanField(
        label=gettext_lazy("Publier ma page de participant·e"),
        required=False,
        help_text=gettext_lazy(
            "Elle montre votre nom affiché et ce que vous avez publié sur le site : vos "
            "contributions, propositions et commentaires visibles de tous. Vous pouvez la "
            "retirer à tout moment."
        ),
    )


@access.login
def public_profile_settings(request):
    """« Mon compte » › ma page publique: open it or close it."""
    user = request.user
    form = PublicProfileForm(
        request.POST if request.method == "POST" else None,
        initial={"public_profile": user.public_profile},
    )
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["public_profile"]
        try:
            user_set_public_profile(user=user, public=wanted)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if wanted:
                messages.success(request, _("Votre page publique est ouverte."))
            else:
                messages.success(request, _("Votre page publique est fermée."))
            return redirect("portal:public_profile_settings")
    return render(
        request,
        "portal/public_profile_settings.html",
        {"title": _("Ma page publique"), "form": form, "person": user},
        status=400 if form.is_bound else 200,
    )


def _person(pk: int) -> User:
    """The person whose page this is, or 404 (no consent, closed account; see the module's
    docstring for blocks)."""
    person = User.objects.filter(pk=pk).first()
    if person is None or not person.has_public_profile:
        raise Http404
    return person


@access.public
def participant(request, pk: int):
    """A participant's public page: their name and what they published, one list at a
    time (contributions, proposals, comments), each paginated. Queries do not grow with
    the number of items."""
    person = _person(pk)
    kinds = {key: selector(user=person) for key, _label, selector in LISTS}
    current = request.GET.get("liste")
    if current not in kinds:
        current = LISTS[0][0]
    tabs = [
        {"key": key, "label": label, "count": kinds[key].count(), "current": key == current}
        for key, label, _selector in LISTS
    ]
    paginator = Paginator(kinds[current], PER_PAGE)
    # The tab already counted this list: the paginator does not count it again.
    paginator.count = next(tab["count"] for tab in tabs if tab["current"])
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "portal/participant.html",
        {
            "title": person.public_name,
            "person": person,
            "tabs": tabs,
            "current": current,
            "page_obj": page,
            "items": list(page.object_list),
        },
    )
