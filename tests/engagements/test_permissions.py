"""Who may open each page of the plan: every URL × every role, leads on their own and others'."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from engagements.models import Evidence

from .factories import AxisFactory, CommitmentFactory, EvidenceFactory, MilestoneFactory

# Who: anonymous, the citizen and association roles, a lead of this commitment, a lead of
# another one, DITP staff, admin.
WHO = ["anonyme", "citoyen", "association", "pilote_autre", "pilote", "ditp", "admin"]
LOGIN, FORBIDDEN, OK, HIDDEN = "login", 403, 200, 404

PUBLIC = dict.fromkeys(WHO, OK)
UPDATE = {
    "anonyme": LOGIN,
    "citoyen": FORBIDDEN,
    "association": FORBIDDEN,
    "pilote_autre": FORBIDDEN,
    "pilote": OK,
    "ditp": OK,
    "admin": OK,
}
STAFF = {**UPDATE, "pilote": FORBIDDEN}
BACK_OFFICE = {**UPDATE, "pilote_autre": OK}
#: An internal document: who may not download it is told it does not exist, anonymous
#: visitors included (a redirect to the login page would tell that it exists).
INTERNAL = {who: HIDDEN if rule in (FORBIDDEN, LOGIN) else rule for who, rule in UPDATE.items()}

# (url name, kwargs builder, expected by role)
MATRIX = [
    ("engagements:plan_list", lambda o: {}, PUBLIC),
    ("engagements:plan_detail", lambda o: {"slug": o["plan"].slug}, PUBLIC),
    ("engagements:commitment_list", lambda o: {}, PUBLIC),
    ("engagements:commitment_detail", lambda o: {"slug": o["commitment"].slug}, PUBLIC),
    ("engagements:repository", lambda o: {}, PUBLIC),
    ("engagements:open_data", lambda o: {}, PUBLIC),
    ("engagements:export_commitments_csv", lambda o: {}, PUBLIC),
    ("engagements:export_commitments_json", lambda o: {}, PUBLIC),
    ("engagements:export_milestones_csv", lambda o: {}, PUBLIC),
    ("engagements:export_journal_csv", lambda o: {}, PUBLIC),
    ("engagements:export_journal_atom", lambda o: {}, PUBLIC),
    ("engagements:evidence_download", lambda o: {"pk": o["public_doc"].pk}, PUBLIC),
    ("engagements:evidence_download", lambda o: {"pk": o["internal_doc"].pk}, INTERNAL),
    ("engagements:bo_commitment_list", lambda o: {}, BACK_OFFICE),
    ("engagements:bo_commitment", lambda o: {"slug": o["commitment"].slug}, UPDATE),
    ("engagements:bo_progress", lambda o: {"slug": o["commitment"].slug}, UPDATE),
    ("engagements:bo_milestone_add", lambda o: {"slug": o["commitment"].slug}, UPDATE),
    (
        "engagements:bo_milestone_edit",
        lambda o: {"slug": o["commitment"].slug, "pk": o["milestone"].pk},
        UPDATE,
    ),
    ("engagements:bo_evidence_add", lambda o: {"slug": o["commitment"].slug}, UPDATE),
    ("engagements:bo_texts", lambda o: {"slug": o["commitment"].slug}, STAFF),
    ("engagements:bo_leads", lambda o: {"slug": o["commitment"].slug}, STAFF),
    ("engagements:bo_plan_list", lambda o: {}, STAFF),
    ("engagements:bo_plan_add", lambda o: {}, STAFF),
    ("engagements:bo_plan_edit", lambda o: {"slug": o["plan"].slug}, STAFF),
    ("engagements:bo_axis_add", lambda o: {"slug": o["plan"].slug}, STAFF),
    (
        "engagements:bo_axis_edit",
        lambda o: {"slug": o["plan"].slug, "number": o["axis"].number},
        STAFF,
    ),
]


@pytest.fixture
def world(make_user, plan):
    lead, other_lead = make_user("pilote"), make_user("pilote")
    commitment = CommitmentFactory(plan=plan, leads=[lead])
    CommitmentFactory(plan=plan, leads=[other_lead])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    public_doc = Evidence.objects.create(
        commitment=commitment,
        title="Compte rendu public",
        document=ContentFile(pdf, name="cr.pdf"),
        dated_on=dt.date(2025, 1, 1),
    )
    internal_doc = Evidence.objects.create(
        commitment=commitment,
        title="Note interne",
        document=ContentFile(pdf, name="note.pdf"),
        dated_on=dt.date(2025, 1, 2),
        is_public=False,
    )
    return {
        "plan": plan,
        "axis": AxisFactory(plan=plan),
        "commitment": commitment,
        "milestone": MilestoneFactory(commitment=commitment),
        "public_doc": public_doc,
        "internal_doc": internal_doc,
        "users": {
            "anonyme": None,
            "citoyen": make_user("citoyen"),
            "association": make_user("association"),
            "pilote_autre": other_lead,
            "pilote": lead,
            "ditp": make_user("ditp"),
            "admin": make_user("admin"),
        },
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize(
    ("name", "kwargs", "expected"), MATRIX, ids=[f"{m[0]}-{i}" for i, m in enumerate(MATRIX)]
)
def test_permission_matrix(client, world, who, name, kwargs, expected):
    """Each role gets the page, the login page, a 403 or a 404 — as the matrix says."""
    user = world["users"][who]
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=kwargs(world))
    response = client.get(url)
    expected = expected[who]
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith("/compte/login/")
    else:
        assert response.status_code == expected, url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["pilote_autre", "citoyen"])
def test_posting_to_someone_elses_commitment_changes_nothing(client, world, who):
    """A lead (or anyone) who does not pilot a commitment cannot update it by POST either."""
    client.force_login(world["users"][who])
    commitment = world["commitment"]
    response = client.post(
        reverse("engagements:bo_progress", kwargs={"slug": commitment.slug}),
        {"status": "limite", "progress": 10, "justification": "Tentative non autorisée."},
    )
    assert response.status_code == 403
    commitment.refresh_from_db()
    assert commitment.status == "non_commence"


@pytest.mark.django_db
def test_public_evidence_download_is_safe(client, world):
    """A public document downloads as an attachment, with nosniff and a sandboxing CSP."""
    url = reverse("engagements:evidence_download", kwargs={"pk": world["public_doc"].pk})
    response = client.get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_link_evidence_has_no_download(client, world):
    """A link is not a stored document: its download URL is a 404."""
    link = EvidenceFactory(commitment=world["commitment"])
    response = client.get(reverse("engagements:evidence_download", kwargs={"pk": link.pk}))
    assert response.status_code == 404
