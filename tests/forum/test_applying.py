"""Applying: draft, come back, submit, edit (journaled), withdraw; one per organisation."""

from __future__ import annotations

import html

import pytest
from django.core import mail
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from participation.forum.models import Application, ApplicationStatus
from participation.forum.services.applications import acknowledgement_send

from .conftest import application_data
from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_save_a_draft_then_come_back_and_submit(
    client, call, applicant, django_capture_on_commit_callbacks
):
    """A person saves an incomplete draft, comes back, completes and submits it; they get
    one acknowledgement e-mail."""
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    response = client.post(
        url, {"organisation_name": "Collectif du Quartier", "action": "brouillon"}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.status == ApplicationStatus.DRAFT
    assert application.applicant == applicant

    page = client.get(application.get_absolute_url()).content.decode()
    assert "Brouillon non déposé" in page

    edit = reverse("forum:application_edit", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            edit,
            application_data(call, organisation_name="Collectif du Quartier", action="deposer"),
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    assert len(mail.outbox) == 1
    assert "Candidature reçue" in mail.outbox[0].subject
    # To the account's verified address only, never to the contact address typed.
    assert mail.outbox[0].to == [applicant.email]


def test_incomplete_submission_shows_errors_and_keeps_input(client, call, applicant):
    """Submitting without motivation or declarations re-displays the form with French
    messages and what the person typed."""
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, motivation="", accepts_privacy=None, action="deposer"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce champ est obligatoire" in page
    assert "Les Amis du Gouvernement Ouvert" in page
    assert not Application.objects.exists()


def test_acknowledgement_is_sent_once_even_if_the_task_runs_twice(application):
    """Running the acknowledgement task twice sends one e-mail."""
    assert acknowledgement_send(application_id=application.pk) is True
    assert acknowledgement_send(application_id=application.pk) is False
    assert len(mail.outbox) == 1


def test_the_acknowledgement_goes_only_to_the_verified_account_address(application):
    """Issue 23: the acknowledgement was also mailed to the contact address the applicant
    typed, never confirmed — anyone's. It goes to the account's verified address only."""
    application.contact_email = "victime@ailleurs.exemple.fr"
    application.save(update_fields=["contact_email"])
    assert acknowledgement_send(application_id=application.pk) is True
    assert [m.to for m in mail.outbox] == [[application.applicant.email]]
    assert "victime@ailleurs.exemple.fr" not in str(mail.outbox[0].message())


def test_no_acknowledgement_to_an_account_address_not_verified(application):
    """An account whose address was never confirmed (or confirmed for another address
    since changed) gets no acknowledgement, and nothing goes to the contact address; the
    acknowledgement stays due, sent once the address is confirmed."""
    from allauth.account.models import EmailAddress

    user = application.applicant
    EmailAddress.objects.filter(user=user).update(verified=False)
    assert acknowledgement_send(application_id=application.pk) is False
    EmailAddress.objects.filter(user=user).update(verified=True, email="ancienne@exemple.fr")
    assert acknowledgement_send(application_id=application.pk) is False
    assert mail.outbox == []
    application.refresh_from_db()
    assert application.acknowledged_at is None

    EmailAddress.objects.filter(user=user).update(email=user.email.upper())
    assert acknowledgement_send(application_id=application.pk) is True
    assert [m.to for m in mail.outbox] == [[user.email]]


def test_a_submitted_application_stays_submitted_and_changes_are_journaled(
    client, application, applicant
):
    """Editing a submitted application before closing keeps it submitted and journals the
    old and new values."""
    client.force_login(applicant)
    data = application_data(
        application.call,
        organisation_name=application.organisation_name,
        motivation="Une motivation précisée.",
        action="enregistrer",
    )
    response = client.post(reverse("forum:application_edit", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    entry = AuditLog.objects.filter(action="forum.application.update").get()
    assert entry.actor == applicant
    assert entry.changes["motivation"] == [
        "Suivre le plan d'action national.",
        "Une motivation précisée.",
    ]


def test_withdraw_after_confirmation(client, application, applicant):
    """The applicant withdraws after ticking the confirmation; the journal says so."""
    client.force_login(applicant)
    url = reverse("forum:application_withdraw", args=[application.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    response = client.post(url, {"reason": "Fusion avec une autre association", "confirm": "on"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert AuditLog.objects.filter(action="forum.application.withdraw").get().reason == (
        "Fusion avec une autre association"
    )


def test_one_application_per_organisation_and_call(client, call, applicant, other_applicant):
    """A second application for the same organisation (accents and case aside) is refused
    with a French message; after a withdrawal the organisation may apply again."""
    first = ApplicationFactory(
        call=call, applicant=other_applicant, organisation_name="Les Amis du Gouvernement Ouvert"
    )
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    response = client.post(
        url,
        application_data(
            call, organisation_name="les amis du gouvernement OUVERT", action="brouillon"
        ),
    )
    assert response.status_code == 200
    assert "Cette organisation a déjà une candidature à cet appel" in response.content.decode()
    assert Application.objects.count() == 1

    first.status = ApplicationStatus.WITHDRAWN
    first.save()
    response = client.post(url, application_data(call, action="brouillon"))
    assert response.status_code == 302
    assert Application.objects.count() == 2


def test_the_database_refuses_a_duplicate_even_without_the_form(call, applicant):
    """The uniqueness rule is a database constraint, not only a form check."""
    from django.db import IntegrityError, transaction

    ApplicationFactory(call=call, organisation_name="Réseau Civique")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            call=call, applicant=applicant, organisation_name="RESEAU civique", status="brouillon"
        )


def test_same_siren_is_one_organisation(client, call, applicant):
    """Two establishments of the same legal entity (same SIREN) cannot both apply."""
    ApplicationFactory(call=call, siret="73282932000074")
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, siret="732 829 320 00033", rna_number="", action="brouillon"),
    )
    assert "même SIREN" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("rna_number", "X123", "W suivi de 9 chiffres"),
        ("siret", "1234", "14 chiffres"),
        ("siret", "73282932000075", "n'est pas valide"),
        # Digits of other scripts are digits to Python's ``\d``, not to the registers.
        ("rna_number", "W٧٥١٢٣٤٥٦٧", "W suivi de 9 chiffres"),
        ("rna_number", "W７５１２３４５６７", "W suivi de 9 chiffres"),
        ("siret", "７３２８２９３２００００７４", "14 chiffres"),
        ("website", "pas une adresse", "Saisissez une URL valide"),
        ("contact_email", "@", "adresse de courriel valide"),
    ],
)
def test_identifiers_and_addresses_are_checked(client, call, applicant, field, value, message):
    """A badly formed RNA, SIRET, website or e-mail is refused with a French message."""
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, **{field: value}, action="deposer"),
    )
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    "value",
    ["' OR 1=1; --", "x" * 5000, "Ассоциация 市民 🌍", "   "],
)
def test_strange_input_never_breaks_the_form(client, call, applicant, value):
    """SQL-looking, very long, unicode or blank input gives a page, never a server error."""
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, organisation_name=value, motivation=value, action="deposer"),
    )
    assert response.status_code in (200, 302)


def test_my_applications_lists_only_mine(client, application, applicant, other_applicant):
    """« Mes candidatures » lists my applications and never another person's."""
    theirs = ApplicationFactory(call=application.call, applicant=other_applicant)
    client.force_login(applicant)
    page = client.get(reverse("forum:my_applications")).content.decode()
    assert application.organisation_name in page
    assert theirs.organisation_name not in page


def test_a_refused_draft_is_shown_with_what_submitting_requires(client, call, applicant):
    """After a failed « Enregistrer le brouillon », the labels read as on a fresh form: the
    declarations, the motivation and the college are not marked « (Optionnel) » (issue 22,
    item 4)."""
    client.force_login(applicant)
    url = reverse("forum:apply", args=[call.slug])
    fresh = client.get(url).content.decode()
    refused = client.post(
        url,
        {"organisation_name": "Collectif du Quartier", "siret": "123", "action": "brouillon"},
    )
    assert refused.status_code == 200
    assert not Application.objects.exists()
    page = refused.content.decode()
    assert "14 chiffres" in page  # the SIRET error is shown
    assert page.count("(Optionnel)") == fresh.count("(Optionnel)")
    for label in ("Motivation", "Collège demandé", "Je certifie sur l&#x27;honneur"):
        start = page.index(label)
        assert "Optionnel" not in page[start : page.index("</label>", start)], label


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("06 12 34 56 78", "+33 6 12 34 56 78"),
        ("0612345678", "+33 6 12 34 56 78"),
        ("+33 1 44 55 66 77", "+33 1 44 55 66 77"),
        ("+32 2 555 12 12", "+32 2 555 12 12"),
    ],
)
def test_the_phone_number_is_stored_normalised(client, call, applicant, typed, stored):
    """French and international numbers are accepted and stored one way (issue 22, item 5)."""
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(call, contact_phone=typed, action="brouillon"),
    )
    assert response.status_code == 302
    assert Application.objects.get().contact_phone == stored


@pytest.mark.parametrize("typed", ["appelez-moi 😀", "12", "06 12 34", "+999 123"])
def test_a_phone_number_that_is_not_one_is_refused_and_the_input_kept(
    client, call, applicant, typed
):
    client.force_login(applicant)
    response = client.post(
        reverse("forum:apply", args=[call.slug]),
        application_data(
            call, contact_phone=typed, organisation_name="Les Amis", action="brouillon"
        ),
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Saisissez un numéro de téléphone valide" in page
    assert f'value="{typed}"' in page and 'value="Les Amis"' in page
    assert not Application.objects.exists()
