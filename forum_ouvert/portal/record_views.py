"""The participant's record: the attestation de participation, its public verification,
and « télécharger mes données »."""

from __future__ import annotations

import json
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum_ouvert.core import access, ratelimit, terms
from forum_ouvert.core.forms import BaseForm
from forum_ouvert.core.spreadsheet import csv_response
from forum_ouvert.core.uploads import safe_download_name
from participation.contributions import services as contributions_services
from participation.contributions.models import Attestation

from . import record

PDF_PER_HOUR = 30


class AttestationForm(BaseForm):
    holder_name = forms.CharField(
        label=gettext_lazy("Nom à faire figurer sur l'attestation"),
        max_length=120,
        help_text=gettext_lazy(
            "Par exemple vos prénom et nom, tels que votre employeur les connaît."
        ),
    )


@access.login
def attestation(request):
    """My verified participations, and the attestation that lists them (PDF)."""
    participations = record.verified_participations(user=request.user)
    form = AttestationForm(request.POST or None, initial={"holder_name": request.user.display_name})
    if request.method == "POST" and form.is_valid():
        try:
            issued = contributions_services.attestation_issue(
                user=request.user,
                holder_name=form.cleaned_data["holder_name"],
                participations=participations,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("portal:attestation_pdf", code=issued.code)
    return render(
        request,
        "portal/record/attestation.html",
        {
            "title": _("Mon attestation de participation"),
            "participations": participations,
            "total_hours": record.total_hours(participations),
            "attestations": Attestation.objects.filter(user=request.user).order_by(
                "-issued_at", "-id"
            )[:10],
            "form": form,
        },
    )


def _own_attestation(request, code: str, **kwargs) -> Attestation:
    if len(code) > 32:
        raise Http404
    return get_object_or_404(Attestation, code=code)


@access.permission("contributions.view_attestation", get_object=_own_attestation)
def attestation_pdf(request, code: str):
    """Download one of my attestations as a PDF."""
    try:
        ratelimit.hit("attestation_pdf", request.user.pk, limit=PDF_PER_HOUR, period=3600)
    except ratelimit.RateLimitExceeded:
        messages.error(request, _("Trop de téléchargements en une heure : réessayez plus tard."))
        return redirect("portal:attestation")
    issued = request.permission_object
    pdf = record.attestation_pdf(attestation=issued)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = safe_download_name(f"attestation-participation-{issued.issued_at:%Y-%m-%d}")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _normalise_code(raw: str) -> str:
    """« abcd efgh… » or « ABCD-EFGH-… » → « ABCD-EFGH-… » (letters and digits only)."""
    chars = re.sub(r"[^A-Z0-9]", "", raw.upper())[:40]
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


class LookupForm(BaseForm):
    code = forms.CharField(
        label=gettext_lazy("Code de vérification"),
        max_length=40,
        help_text=gettext_lazy("20 caractères en groupes de quatre, par exemple ABCD-EFGH-…"),
    )


@access.public
def attestation_lookup(request):
    """Type the code printed on an attestation to check it."""
    form = LookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = _normalise_code(form.cleaned_data["code"])
        if code:
            return redirect("portal:attestation_verify", code=code)
        form.add_error("code", _("Ce code ne contient ni lettre ni chiffre."))
    return render(
        request,
        "portal/record/attestation_lookup.html",
        {"title": _("Vérifier une attestation de participation"), "form": form},
    )


@access.public
def attestation_verify(request, code: str):
    """Anyone holding an attestation can check that it is genuine, with its code."""
    normalised = _normalise_code(code)
    issued = None
    if len(normalised) <= 32:
        issued = Attestation.objects.filter(code=normalised).first()
    return render(
        request,
        "portal/record/attestation_verify.html",
        {
            "title": (
                _("Attestation de participation %(code)s : authentique")
                if issued
                else _("Attestation de participation %(code)s : introuvable")
            )
            % {"code": code[:40]},
            "attestation": issued,
            "code": code[:40],
        },
        status=200 if issued else 404,
    )


@terms.not_required  # the right of access does not wait for the terms
@access.login
def data_page(request):
    """Everything the platform holds about me, to read on a page (RGPD right of access);
    the same data as the JSON and CSV downloads it links to."""
    response = render(
        request,
        "portal/record/my_data.html",
        {
            "title": _("Mes données"),
            "exported_at": timezone.now(),
            "tables": record.data_tables(record.export_user_data(user=request.user)),
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@access.login
def data_export_csv(request):
    """Everything the platform holds about me as one CSV: rubric, item, field, value."""
    return csv_response(
        record.data_rows(record.export_user_data(user=request.user)),
        header=[_("Rubrique"), _("Élément n°"), _("Champ"), _("Valeur")],
        filename="mes-donnees-forum-ouvert.csv",
        delimiter=";",
        bom=True,
        private=True,
    )


@access.login
def data_export(request):
    """Download everything the platform holds about me, as JSON (RGPD right of access)."""
    data = {
        "exporte_le": timezone.now().isoformat(),
        "plateforme": "Forum ouvert",
        **record.export_user_data(user=request.user),
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-forum-ouvert.json"'
    response["Cache-Control"] = "private, no-store"
    return response
