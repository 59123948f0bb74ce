"""« Ce qui change chez vous »: a territory's page, composed from several apps.

The Baromètre's figures, the Tour de France stops and the workshops come from
``participation.workshops``; the contributions from ``participation.contributions``.
"""

from __future__ import annotations

import hashlib
import logging

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core import access
from forum_ouvert.core.forms import BaseForm
from forum_ouvert.core.models import Departement
from forum_ouvert.core.territories import departement_code_for_postcode
from forum_ouvert.core.widgets import FastSelect
from participation.contributions import selectors as contributions_selectors
from participation.workshops import figures, francemap
from participation.workshops import selectors as workshops_selectors
from participation.workshops.fragments import barometre_version, cached_html

logger = logging.getLogger(__name__)


class PostcodeForm(BaseForm):
    code_postal = forms.CharField(
        label=gettext_lazy("Votre code postal"),
        help_text=gettext_lazy("5 chiffres, par exemple 69003 ou 20000."),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )

    def clean_code_postal(self) -> str:
        code = departement_code_for_postcode(self.cleaned_data["code_postal"])
        if code is None or not Departement.objects.filter(code=code).exists():
            raise forms.ValidationError(
                _("Ce code postal ne correspond à aucun département : vérifiez ses 5 chiffres.")
            )
        return code


class DepartementForm(BaseForm):
    departement = forms.ModelChoiceField(
        label=gettext_lazy("Votre département"),
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        empty_label=gettext_lazy("— Choisir —"),
        widget=FastSelect,
    )


@access.public
def territory_index(request):
    """Find one's département: by postcode, from a list, or on the map."""
    postcode_form = PostcodeForm(request.GET if "code_postal" in request.GET else None)
    departement_form = DepartementForm(request.GET if "departement" in request.GET else None)
    for form, field in ((postcode_form, "code_postal"), (departement_form, "departement")):
        if form.is_bound and form.is_valid():
            value = form.cleaned_data[field]
            return redirect(francemap.territory_href(getattr(value, "code", value)))
    activity = workshops_selectors.departements_with_activity()
    active = sorted(activity["workshops"] | activity["stops"])
    digest = hashlib.sha256(" ".join(active).encode()).hexdigest()[:24]
    return render(
        request,
        "portal/territories/index.html",
        {
            "title": _("Ce qui change chez vous"),
            "postcode_form": postcode_form,
            "departement_form": departement_form,
            "map_and_list": cached_html(
                f"territoires:index:{digest}", lambda: _map_and_list(active=active)
            ),
        },
    )


def _map_and_list(*, active: list[str]) -> str:
    """The map and the plain list of every département, by region (same for everyone)."""
    departements = list(Departement.objects.select_related("region").order_by("code"))
    regions: dict = {}
    for departement in sorted(departements, key=lambda d: (d.region.name, d.code)):
        departement.href = francemap.territory_href(departement.code)
        regions.setdefault(departement.region, []).append(departement)
    note = _("ateliers ou étape du Tour")
    return render_to_string(
        "portal/territories/_map_and_list.html",
        {
            "map": francemap.france_map(
                departements=departements,
                href=francemap.territory_href,
                active=dict.fromkeys(active, note),
            ),
            "regions": regions,
        },
    )


def _contributions(code: str) -> list[dict]:
    """The département's contributions, read defensively (another app fills the selector)."""
    items = []
    for item in contributions_selectors.contributions_for_departement(code=code, limit=5) or []:
        try:
            url = item.get_absolute_url()
            title = str(item.title)
        except (AttributeError, TypeError, ValueError) as exc:
            logger.warning("contribution illisible pour %s : %s", code, exc)
            continue
        items.append({"title": title, "url": url})
    return items


@access.public
def territory_detail(request, code: str):
    """« Ce qui change chez vous » for one département."""
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code.upper())
    if code != departement.code:
        return redirect(francemap.territory_href(departement.code))
    overview = workshops_selectors.territory_overview(departement=departement)
    barometre = cached_html(
        f"territoires:barometre:{barometre_version()}:{departement.code}",
        lambda: render_to_string(
            "portal/territories/_barometre.html",
            {
                "departement": departement,
                "themes": figures.barometre_for_departement(departement=departement),
                "source": figures.source_line(),
            },
        ),
    )
    return render(
        request,
        "portal/territories/detail.html",
        {
            "title": _("Ce qui change %(place)s") % {"place": departement.in_name},
            "departement": departement,
            "contributions": _contributions(departement.code),
            "barometre": barometre,
            **overview,
        },
    )
