"""The leads' and staff's back-office: forms that journal, keep input on error, check uploads."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from engagements.models import ActionPlan, Axis, Commitment, Evidence, JournalEntry, Milestone

from .. import htmx
from .factories import CommitmentFactory, MilestoneFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.fixture
def lead_client(client, make_user, plan):
    lead = make_user("pilote")
    commitment = CommitmentFactory(plan=plan, leads=[lead])
    client.force_login(lead)
    return client, lead, commitment


def _url(name, commitment, **kwargs):
    return reverse(f"engagements:{name}", kwargs={"slug": commitment.slug, **kwargs})


@pytest.mark.django_db
def test_lead_posts_a_progress_update(lead_client):
    """A lead's point d'étape is saved, journaled and announced; the page redirects back."""
    client, lead, commitment = lead_client
    response = client.post(
        _url("bo_progress", commitment),
        {
            "status": "limite",
            "progress": "25",
            "justification": "Premier livrable remis au comité.",
        },
    )
    assert response.status_code == 302 and response.url == _url("bo_commitment", commitment)
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("limite", 25)
    assert JournalEntry.objects.filter(commitment=commitment, actor=lead).count() == 2
    page = client.get(response.url).content.decode()
    assert "Point d&#x27;étape enregistré" in page or "Point d'étape enregistré" in page


@pytest.mark.django_db
def test_lead_corrects_a_wrong_complete_in_one_step(lead_client):
    """A lead who published « Achevé » by mistake is told how to fix it, then ticks
    « Correction » and reaches « Limité » at once; the public history says « Correction »."""
    client, _, commitment = lead_client
    Commitment.objects.filter(pk=commitment.pk).update(status="acheve", progress=100)
    data = {"status": "limite", "progress": "40", "justification": "Achevé publié par erreur."}
    refused = client.post(_url("bo_progress", commitment), data).content.decode()
    assert "états possibles : « Substantiel »" in refused and "cochez « Correction »" in refused
    response = client.post(_url("bo_progress", commitment), {**data, "correction": "on"})
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == ("limite", 40)
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Correction : État" in page and "Achevé publié par erreur." in page


@pytest.mark.django_db
def test_htmx_progress_update_swaps_the_workspace(lead_client):
    """With htmx, the answer is the refreshed workspace fragment with a success message."""
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_progress", commitment),
        {"status": "limite", "progress": "10", "justification": "Lancement des travaux confirmé."},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<div id="espace-de-travail"')
    assert "enregistré" in body and "10 %" in body


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"status": "limite", "progress": "150", "justification": "Un très bon trimestre."},
            "entre 0 et 100",
        ),
        (
            {"status": "limite", "progress": "abc", "justification": "Un très bon trimestre."},
            "nombre entier",
        ),
        ({"status": "limite", "progress": "10", "justification": ""}, "Expliquez ce changement"),
        (
            {"status": "acheve", "progress": "80", "justification": "Un très bon trimestre."},
            "100 %",
        ),
        (
            {"status": "inconnu", "progress": "10", "justification": "Un très bon trimestre."},
            "Sélectionnez un choix valide",
        ),
    ],
)
def test_bad_progress_input_keeps_what_was_typed(lead_client, data, message, htmx):
    """An invalid update re-displays the form with the input and a French message; nothing saved."""
    client, _, commitment = lead_client
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(_url("bo_progress", commitment), data, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    if data["justification"]:
        assert data["justification"] in body
    assert f'value="{data["progress"]}"' in body
    commitment.refresh_from_db()
    assert commitment.status == "non_commence" and not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_lead_adds_and_reaches_a_milestone(lead_client):
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_milestone_add", commitment),
        {
            "deliverable": "Rapport d'étape publié",
            "ends_on": "2026-06-30",
            "status": "a_venir",
            "justification": "Jalon convenu avec les partenaires.",
        },
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get(commitment=commitment)
    response = client.post(
        _url("bo_milestone_edit", commitment, pk=milestone.pk),
        {
            "deliverable": "Rapport d'étape publié",
            "ends_on": "2026-06-30",
            "status": "atteint",
            "justification": "Rapport mis en ligne le jour même.",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "atteint" and milestone.reached_on == timezone.localdate()
    assert JournalEntry.objects.filter(milestone=milestone).count() >= 2


@pytest.mark.django_db
def test_refused_milestone_transition_is_explained(lead_client):
    """Reopening a cancelled milestone straight to « atteint » is refused with a message."""
    client, _, commitment = lead_client
    milestone = MilestoneFactory(commitment=commitment, status="abandonne")
    response = client.post(
        _url("bo_milestone_edit", commitment, pk=milestone.pk),
        {
            "deliverable": milestone.deliverable,
            "status": "atteint",
            "justification": "Finalement réalisé.",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "Passage de « Abandonné » à « Atteint » impossible ; états possibles : « À venir »" in html
    )


@pytest.mark.django_db
def test_milestone_of_another_commitment_is_a_404(lead_client):
    client, _, commitment = lead_client
    other = MilestoneFactory()
    response = client.get(_url("bo_milestone_edit", commitment, pk=other.pk))
    assert response.status_code == 404


@pytest.mark.django_db
def test_pdf_evidence_is_stored_under_a_random_name(lead_client):
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_evidence_add", commitment),
        {
            "title": "Compte rendu du comité",
            "dated_on": "2026-01-15",
            "document": SimpleUploadedFile("compte-rendu.pdf", PDF, content_type="application/pdf"),
            "is_public": "on",
            "justification": "Compte rendu validé par le comité.",
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert (
        evidence.document.name.startswith("evidence/")
        and "compte-rendu" not in evidence.document.name
    )
    assert evidence.document_size == len(PDF)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("image.pdf", PNG, "pas un document PDF valide"),
        ("vide.pdf", b"", "vide"),
        ("<script>alert(1)</script>.pdf", PDF, "caractères non autorisés"),
        ("note.docx", PDF, "Seuls les documents PDF"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(lead_client, name, content, message):
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_evidence_add", commitment),
        {
            "title": "Mon document",
            "dated_on": "2026-01-15",
            "document": SimpleUploadedFile(name, content),
            "justification": "Document transmis par le ministère.",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body and 'value="Mon document"' in body
    assert not Evidence.objects.exists() and not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_an_evidence_link_to_a_local_address_is_refused(lead_client):
    """« http://localhost/admin/ » is not a public page: refused under the link field, the
    input kept, nothing published (issue 22, item 6)."""
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_evidence_add", commitment),
        {
            "title": "Tableau de bord",
            "dated_on": "2026-01-15",
            "url": "http://localhost/admin/",
            "justification": "Lien transmis par le ministère.",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "ne mène pas à une page publique" in body and 'value="Tableau de bord"' in body
    assert not Evidence.objects.exists() and not JournalEntry.objects.exists()


@pytest.mark.django_db
def test_an_invalid_evidence_link_gets_one_error(lead_client):
    """« pas une adresse » gets one clear error under the link field, not three, and not
    the misleading « Joignez soit un document PDF, soit un lien » (issue 22, item 17)."""
    client, _, commitment = lead_client
    response = client.post(
        _url("bo_evidence_add", commitment),
        {
            "title": "Tableau de bord",
            "dated_on": "2026-01-15",
            "url": "pas une adresse",
            "justification": "Lien transmis par le ministère.",
        },
    )
    assert response.status_code == 200
    form = response.context["evidence_form"]
    assert form.errors == {
        "url": ["Saisissez une adresse web complète, commençant par https:// ou http://."]
    }
    assert "Joignez soit un document" not in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_a_valid_evidence_pdf_is_kept_when_the_justification_is_refused(lead_client):
    """The PDF survives the refusal and is published with the corrected form, without
    being chosen again (issue 22, item 3)."""
    import re

    client, _, commitment = lead_client
    url = _url("bo_evidence_add", commitment)
    data = {"title": "Compte rendu", "dated_on": "2026-01-15", "justification": "court"}
    page = client.post(
        url, {**data, "document": SimpleUploadedFile("cr.pdf", PDF)}
    ).content.decode()
    assert not Evidence.objects.exists() and "« cr.pdf »" in page
    token = re.search(r'name="document__gardes" value="([^"]+)"', page).group(1)
    client.post(
        url,
        {**data, "justification": "Document transmis par le ministère.", "document__gardes": token},
    )
    evidence = Evidence.objects.get()
    assert evidence.document_size == len(PDF)


@pytest.mark.django_db
def test_oversized_upload_is_refused(lead_client, settings):
    client, _, commitment = lead_client
    settings.MAX_DOCUMENT_SIZE = 1024
    big = PDF[:-6] + b" " * 2048 + b"%%EOF\n"
    response = client.post(
        _url("bo_evidence_add", commitment),
        {
            "title": "Trop gros",
            "dated_on": "2026-01-15",
            "document": SimpleUploadedFile("gros.pdf", big),
            "justification": "Document transmis par le ministère.",
        },
    )
    assert "taille maximale" in response.content.decode()
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_staff_edit_texts_assign_leads_and_manage_plans(client, make_user, plan):
    """Staff complete a draft title, name its lead, add a plan and an axis."""
    staff, future_lead = make_user("ditp"), make_user("pilote", display_name="Nadia K.")
    commitment = CommitmentFactory(plan=plan, title="", title_confirmed=False)
    client.force_login(staff)
    response = client.post(
        _url("bo_texts", commitment),
        {
            "title": "Associer les citoyens aux réformes de l'éducation",
            "title_confirmed": "on",
            "problem": "Les réformes sont peu discutées.",
            "justification": "Intitulé retrouvé dans le plan publié.",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title.startswith("Associer") and not commitment.needs_completion
    assert JournalEntry.objects.filter(field="title").exists()

    response = client.post(
        _url("bo_leads", commitment),
        {"leads": [future_lead.pk], "justification": "Désignation par le cabinet."},
    )
    assert response.status_code == 302 and list(commitment.leads.all()) == [future_lead]
    assert JournalEntry.objects.get(field="leads").new_value == "Nadia K."

    response = client.post(
        reverse("engagements:bo_plan_add"),
        {
            "title": "Plan d'action national 2027-2029",
            "slug": "pan-2027-2029",
            "status": "co_construction",
        },
    )
    assert response.status_code == 302
    new_plan = ActionPlan.objects.get(slug="pan-2027-2029")
    response = client.post(
        reverse("engagements:bo_axis_add", kwargs={"slug": new_plan.slug}),
        {"number": 1, "title": "Participation"},
    )
    assert response.status_code == 302 and Axis.objects.filter(plan=new_plan).count() == 1
    response = client.post(
        reverse("engagements:bo_axis_add", kwargs={"slug": new_plan.slug}),
        {"number": 1, "title": "Doublon"},
    )
    assert (
        response.status_code == 200 and "déjà un axe portant ce numéro" in response.content.decode()
    )


@pytest.mark.django_db
def test_only_one_current_plan(client, make_user, plan):
    """Making a new plan current un-marks the previous one (database constraint holds)."""
    client.force_login(make_user("admin"))
    client.post(
        reverse("engagements:bo_plan_add"),
        {
            "title": "Plan 2027-2029",
            "slug": "pan-2027-2029",
            "status": "en_cours",
            "is_current": "on",
        },
    )
    assert list(ActionPlan.objects.filter(is_current=True).values_list("slug", flat=True)) == [
        "pan-2027-2029"
    ]


# --- htmx: the swapped workspace is the page a reload would show ---------------------

INLINE_FORMS = {
    "bo_progress": {"status": "limite", "progress": "30", "justification": "Deux ateliers tenus."},
    "bo_milestone_add": {
        "deliverable": "Rapport d'étape publié",
        "ends_on": "2026-06-30",
        "status": "a_venir",
        "justification": "Jalon convenu avec les partenaires.",
    },
    "bo_evidence_add": {
        "title": "Compte rendu du comité",
        "dated_on": "2026-01-15",
        "url": "https://www.example.org/compte-rendu",
        "is_public": "on",
        "justification": "Compte rendu validé par le comité.",
    },
}


def _swap_inline_form(client, commitment, name, data):
    page_url = _url("bo_commitment", commitment)
    page = client.get(page_url).content.decode()
    form = htmx.trigger(page, "hx-post", _url(name, commitment))
    headers = htmx.headers_for(page, form)
    assert headers["HX-Target"] == "espace-de-travail"
    answer = client.post(_url(name, commitment), data, headers=headers)
    assert answer.status_code == 200 and "HX-Request" in answer["Vary"]
    return page_url, htmx.swap(page, form, answer.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("name", INLINE_FORMS)
def test_a_saved_inline_form_leaves_the_page_a_reload_shows(lead_client, name):
    """After « Publier », « Ajouter le jalon » or « Ajouter le justificatif » with htmx, the
    page reads as a reload would, plus the confirmation; no old value is left beside a new."""
    client, _, commitment = lead_client
    page_url, swapped = _swap_inline_form(client, commitment, name, INLINE_FORMS[name])
    assert JournalEntry.objects.filter(commitment=commitment).exists()
    fresh = client.get(page_url).content.decode()
    assert htmx.region(swapped, without=("espace-de-travail-message",)) == htmx.region(fresh)
    assert htmx.duplicate_ids(swapped) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", INLINE_FORMS)
def test_a_refused_inline_form_reads_as_the_page_without_javascript(lead_client, name):
    """With an empty justification, the swapped page shows the same errors and input as the
    page posted without JavaScript."""
    client, _, commitment = lead_client
    data = {**INLINE_FORMS[name], "justification": ""}
    _, swapped = _swap_inline_form(client, commitment, name, data)
    plain = client.post(_url(name, commitment), data)
    assert plain.status_code == 200
    assert "Expliquez" in htmx.region(swapped)
    assert htmx.region(swapped) == htmx.region(plain.content.decode())


@pytest.mark.django_db
def test_every_field_of_the_update_page_has_its_own_id_and_label(lead_client):
    """The three forms share the page: no id twice, and each field has a label for it."""
    client, _, commitment = lead_client
    page = client.get(_url("bo_commitment", commitment)).content.decode()
    assert htmx.duplicate_ids(page) == []
    nodes = htmx.parse(page)
    labelled = {n.attrs.get("for") for n in nodes if n.tag == "label"}
    fields = [
        n.attrs["id"]
        for n in nodes
        if n.tag in ("input", "select", "textarea")
        and n.attrs.get("type") not in ("hidden", "submit")
    ]
    assert fields and [f for f in fields if f not in labelled] == []


@pytest.mark.django_db
def test_staff_write_the_english_beside_the_french(client, make_user, plan):
    """Staff enter a commitment's English title and problem and a milestone's English
    deliverable in the back-office: each change is journaled, and /en/ shows them."""
    staff = make_user("ditp")
    commitment = CommitmentFactory(plan=plan, title="Ouvrir les algorithmes")
    milestone = MilestoneFactory(commitment=commitment, deliverable="Un guide")
    client.force_login(staff)
    form = client.get(_url("bo_texts", commitment)).text
    assert 'name="title_en"' in form and 'name="problem_en"' in form
    response = client.post(
        _url("bo_texts", commitment),
        {
            "title": "Ouvrir les algorithmes",
            "title_en": "Open the algorithms",
            "title_confirmed": "on",
            "problem_en": "Algorithms are opaque.",
            "justification": "Traduction anglaise pour le MRI.",
        },
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.title_en == "Open the algorithms"
    entry = JournalEntry.objects.get(commitment=commitment, field="title_en")
    assert entry.new_value == "Open the algorithms"
    assert JournalEntry.objects.filter(commitment=commitment, field="problem_en").exists()
    response = client.post(
        _url("bo_milestone_edit", commitment, pk=milestone.pk),
        {
            "deliverable": "Un guide",
            "deliverable_en": "A guide",
            "status": "a_venir",
            "ends_on": milestone.ends_on.isoformat(),
            "justification": "Traduction anglaise pour le MRI.",
        },
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.deliverable_en == "A guide"
    client.logout()
    page = client.get(f"/en/engagements/{commitment.slug}/").text
    assert "<h1>Open the algorithms</h1>" in page and "<strong>A guide</strong>" in page
