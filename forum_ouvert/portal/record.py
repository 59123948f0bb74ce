"""The participant's record (statut du citoyen participant), composed from every app.

Each participation app says what it verified (``verified_participations``) and what it
holds about a person (``export_user_data``); this module puts them together for
« Mon espace », the *attestation de participation* and « télécharger mes données ».
"""

from __future__ import annotations

from django.urls import reverse

from engagements.models import Follow
from forum_ouvert.core.extensions import VerifiedParticipation
from forum_ouvert.core.links import absolute_url
from forum_ouvert.core.models import User
from forum_ouvert.core.oidc.services import identity_list, provider_name
from forum_ouvert.core.pdf import render_pdf_from_template
from participation.contributions import selectors as contributions_selectors
from participation.contributions.models import Attestation
from participation.forum import selectors as forum_selectors
from participation.workshops import selectors as workshops_selectors

#: Apps whose verified participations appear on the attestation, in this order.
PARTICIPATION_APPS = (
    ("workshops", workshops_selectors),
    ("forum", forum_selectors),
    ("contributions", contributions_selectors),
)


def verified_participations(*, user: User) -> list[VerifiedParticipation]:
    """Every participation staff verified, oldest first."""
    items: list[VerifiedParticipation] = []
    for _name, selectors in PARTICIPATION_APPS:
        items.extend(selectors.verified_participations(user=user))
    return sorted(items, key=lambda p: (p.date, str(p.title)))


def total_hours(participations: list[VerifiedParticipation]) -> float | None:
    """Sum of the known durations; None when none is known."""
    hours = [float(p.hours) for p in participations if p.hours is not None]
    return round(sum(hours), 1) if hours else None


def summary(*, user: User) -> dict:
    """The record block of « Mon espace »: participations, hours, attestations."""
    participations = verified_participations(user=user)
    return {
        "participations": participations,
        "total_hours": total_hours(participations),
        "attestations": contributions_selectors.latest_attestations(user=user, limit=3),
    }


def verification_url(attestation: Attestation) -> str:
    return absolute_url(reverse("portal:attestation_verify", kwargs={"code": attestation.code}))


def attestation_pdf(*, attestation: Attestation) -> bytes:
    """The attestation as a tagged PDF, through the project's sealed renderer."""
    return render_pdf_from_template(
        "portal/record/attestation_pdf.html",
        {
            "attestation": attestation,
            "verification_url": verification_url(attestation),
            "lookup_url": absolute_url(reverse("portal:attestation_lookup")),
        },
    )


def export_user_data(*, user: User) -> dict:
    """Everything the platform holds about ``user`` (RGPD right of access), as plain data."""
    return {
        "compte": {
            "adresse_email": user.email,
            "nom_affiche": user.display_name,
            "nom_affiche_publiquement": user.public_display_consent,
            "departement": user.departement_id,
            "role": user.get_role_display(),
            "inscrit_le": user.date_joined.isoformat(),
            "derniere_connexion": user.last_login.isoformat() if user.last_login else None,
        },
        "engagements_suivis": [
            {"engagement": slug, "depuis": created.isoformat()}
            for slug, created in Follow.objects.filter(user=user)
            .order_by("created_at")
            .values_list("commitment__slug", "created_at")
        ],
        "identites_reliees": [
            {
                "fournisseur": provider_name(identity.provider),
                "identifiant": identity.uid,
                "donnees": identity.extra_data,
                "reliee_le": identity.date_joined.isoformat(),
            }
            for identity in identity_list(user=user)
        ],
        "forum": forum_selectors.export_user_data(user=user),
        "ateliers": workshops_selectors.export_user_data(user=user),
        "contributions": contributions_selectors.export_user_data(user=user),
    }
