"""« Mon espace », the RGPD export and account deletion, and the demo data."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum_ouvert.portal.services import account_delete
from participation.forum import selectors
from participation.forum.models import Application, Attachment, Call, Member
from participation.forum.services import forget_user

from .factories import ApplicationFactory, AttachmentFactory

pytestmark = pytest.mark.django_db


def test_my_space_shows_my_applications(client, application, applicant):
    """« Mon espace » lists my applications with a link to each."""
    client.force_login(applicant)
    page = client.get(reverse("portal:my_space")).content.decode()
    assert application.organisation_name in page
    assert application.get_absolute_url() in page


def test_my_space_is_empty_for_someone_who_never_applied(make_user):
    """Nothing to show: the section is left out."""
    assert selectors.my_space_context(user=make_user("citoyen")) == {}


def test_export_holds_my_applications_and_nothing_of_others(application, applicant):
    """The data export carries my applications (contact details included), not others'."""
    AttachmentFactory(application=application, original_name="statuts.pdf")
    ApplicationFactory(call=application.call, organisation_name="Pas à moi")
    data = selectors.export_user_data(user=applicant)
    assert [a["organisation"] for a in data["candidatures"]] == [application.organisation_name]
    assert data["candidatures"][0]["pieces_jointes"] == ["statuts.pdf"]
    assert data["candidatures"][0]["email_contact"] == application.contact_email


def test_forgetting_a_person(applicant, call, stored_files, django_capture_on_commit_callbacks):
    """Deleting an account removes drafts and their files, and strips contact details
    from submitted applications, which stay for the call's accountability."""
    draft = ApplicationFactory(call=call, applicant=applicant, draft=True)
    AttachmentFactory(application=draft)
    submitted = ApplicationFactory(call=call, applicant=applicant)
    assert len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        account_delete(user=applicant)
    assert not Application.objects.filter(pk=draft.pk).exists()
    assert not Attachment.objects.exists()
    assert stored_files() == []
    submitted.refresh_from_db()
    assert submitted.applicant is None
    assert (submitted.contact_name, submitted.contact_email) == ("", "")
    assert selectors.export_user_data(user=applicant)["candidatures"] == []


def test_forget_user_is_safe_to_run_twice(applicant, application):
    """Running the deletion twice changes nothing more and does not fail."""
    forget_user(user=applicant)
    forget_user(user=applicant)
    application.refresh_from_db()
    assert application.applicant is None


def test_demo_populates_the_forum(client):
    """After the demo seed, /forum/ shows members and meetings, an open call accepts
    applications and a call is under review."""
    call_command("seed_demo")
    page = client.get(reverse("forum:index")).content.decode()
    assert "Association Voix Citoyennes" in page
    assert "Séance d&#x27;installation du Forum ouvert" in page
    assert Member.objects.count() >= 5
    phases = set(Call.objects.values_list("phase", flat=True))
    assert {"ouvert", "examen", "resultats"} <= phases
