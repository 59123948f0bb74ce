"""Open data of the co-creation: proposals and versions in CSV and JSON, an Atom feed,
documented on /donnees/; drafts, unpublished co-creations and private names never."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from forum_ouvert.core.links import absolute_url
from participation.cocreation import exports, services
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def _csv(client, name) -> list[dict]:
    response = client.get(reverse(f"cocreation:{name}"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(_body(response))))


@pytest.fixture
def world(process, author, submitted, draft):
    """A submitted proposal with two versions, a draft, a private author's proposal and one
    in a co-creation whose calendar is not yet public."""
    services.proposal_edit(
        actor=author,
        proposal=submitted,
        base_revision=submitted.revision,
        description="Publier toutes les délibérations, avec leurs annexes.",
    )
    shy = ProposalFactory(
        process=process, author=UserFactory(public_display_consent=False), submitted=True
    )
    hidden = ProposalFactory(process=ProcessFactory(unpublished=True), submitted=True)
    return {"submitted": submitted, "draft": draft, "shy": shy, "hidden": hidden}


def test_proposals_csv_has_the_public_proposals_in_their_current_text(client, world):
    """One row per public proposal with the documented columns, in order; the draft and
    the unpublished co-creation's proposal are absent; a private author is
    « Participant·e »."""
    rows = _csv(client, "open_data_proposals_csv")
    assert list(rows[0]) == [name for name, _ in exports.PROPOSAL_COLUMNS]
    submitted, shy = world["submitted"], world["shy"]
    assert [int(r["id"]) for r in rows] == [submitted.pk, shy.pk]
    first = rows[0]
    assert first["engagement"] == "Publier toutes les délibérations, avec leurs annexes."
    assert first["versions"] == "2" and first["auteur"] == "Léa V."
    assert first["valeurs_ogp"] == "transparence"
    assert first["jalons"] == "Un portail (2027-01-01 → 2027-06-30)"
    assert first["url"] == absolute_url(submitted)
    assert rows[1]["auteur"] == "Participant·e"
    assert world["shy"].author.display_name not in _body(
        client.get(reverse("cocreation:open_data_proposals_json"))
    )


def test_versions_csv_has_every_version_as_it_was_submitted(client, world):
    rows = _csv(client, "open_data_versions_csv")
    assert list(rows[0]) == [name for name, _ in exports.VERSION_COLUMNS]
    submitted = world["submitted"]
    mine = [r for r in rows if int(r["proposition_id"]) == submitted.pk]
    assert [r["version"] for r in mine] == ["1", "2"]
    assert mine[0]["engagement"] != mine[1]["engagement"]
    assert mine[1]["url"].endswith(
        reverse(
            "cocreation:proposal_version",
            kwargs={"slug": submitted.process.plan.slug, "pk": submitted.pk, "number": 2},
        )
    )
    assert {int(r["proposition_id"]) for r in rows} == {submitted.pk, world["shy"].pk}


def test_json_files_have_the_same_columns_and_nested_milestones(client, world):
    proposals = json.loads(_body(client.get(reverse("cocreation:open_data_proposals_json"))))
    assert [p["id"] for p in proposals] == [world["submitted"].pk, world["shy"].pk]
    assert list(proposals[0]) == [name for name, _ in exports.PROPOSAL_COLUMNS]
    assert proposals[0]["jalons"] == [
        {"livrable": "Un portail", "debut": "2027-01-01", "echeance": "2027-06-30"}
    ]
    versions = json.loads(_body(client.get(reverse("cocreation:open_data_versions_json"))))
    assert len(versions) == 3 and versions[0]["version"] == 1


def test_the_exports_read_a_constant_number_of_queries(
    client, process, author, django_assert_max_num_queries
):
    """Thirty proposals or three, one query per file (plus the session's)."""
    for _ in range(30):
        ProposalFactory(process=process, author=author, submitted=True)
    for name in ("proposals", "versions"):
        for kind in ("csv", "json"):
            with django_assert_max_num_queries(1):
                body = _body(client.get(reverse(f"cocreation:open_data_{name}_{kind}")))
            assert body.count("Proposition numéro") >= 30


def test_atom_feed_lists_the_latest_versions_as_plain_text(client, world):
    response = client.get(reverse("cocreation:open_data_atom"))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 3
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert f"Proposition n° {world['submitted'].pk} — {world['submitted'].title} (version 2)" in (
        titles
    )
    assert all(e.find(f"{ATOM}summary").get("type") == "text" for e in entries)
    assert world["hidden"].title not in response.content.decode()


def test_the_open_data_page_documents_every_column(client, world):
    """/donnees/ lists the co-creation's files with each column, beside the plan's and the
    contributions' files."""
    html = client.get(reverse("engagements:open_data")).content.decode()
    for dataset in exports.DATASETS:
        assert dataset.path in html
        for name, _ in dataset.columns:
            assert f"<code>{name}</code>" in html
    assert "/donnees/engagements.csv" in html and "/donnees/contributions.csv" in html
    assert html.index("/donnees/engagements.csv") < html.index("/donnees/co-construction")
    assert 'id="donnees-co-construction-propositions-csv"' in html
    page = client.get(reverse("cocreation:process", args=[world["submitted"].process.plan.slug]))
    links = page.content.decode()
    assert "/donnees/#donnees-co-construction-propositions-csv" in links
    for dataset in exports.DATASETS:
        assert f'href="{dataset.path}"' in links
        assert client.get(dataset.path).status_code == 200


def test_amendments_csv_has_each_amendment_with_its_decision(client, world, author):
    """Proposed and declined amendments, with the public reason; none of a proposal in an
    unpublished co-creation."""
    amender = UserFactory(display_name="Sam K.", public_display_consent=True)
    first = services.amendment_propose(
        actor=amender,
        proposal=world["submitted"],
        section="problem",
        text="Le problème, mieux dit.",
        reason="Plus clair.",
    )
    services.amendment_decline(actor=author, amendment=first, reason="Déjà dit plus haut.")
    services.amendment_propose(
        actor=amender, proposal=world["shy"], section="title", text="Un titre", reason="Court."
    )
    rows = _csv(client, "open_data_amendments_csv")
    assert list(rows[0]) == [name for name, _ in exports.AMENDMENT_COLUMNS]
    assert [r["etat"] for r in rows] == ["refuse", "propose"]
    assert rows[0]["motif_decision"] == "Déjà dit plus haut." and rows[0]["auteur"] == "Sam K."
    assert rows[0]["section_libelle"] == "Quel est le problème à résoudre ?"
    assert rows[0]["url"].endswith(f"/amendements/{first.pk}/")
    assert client.get(rows[0]["url"].removeprefix(absolute_url("/")[:-1])).status_code == 200


def test_opinions_csv_has_each_member_opinion_by_college(client):
    from participation.cocreation.models import PhaseKind, Verdict
    from tests.forum.factories import CallFactory, MemberFactory

    call = CallFactory(published=True)
    member = MemberFactory(
        application__call=call,
        application__college=call.colleges.get(name="Associations"),
        application__organisation_name="Voix citoyennes",
    )
    proposal = ProposalFactory(
        process=ProcessFactory(current=PhaseKind.DELIBERATION), submitted=True
    )
    services.opinion_give(
        actor=member.application.applicant,
        proposal=proposal,
        verdict=Verdict.RESERVED,
        argument="Le calendrier est trop court.",
    )
    (row,) = _csv(client, "open_data_opinions_csv")
    assert list(row) == [name for name, _ in exports.OPINION_COLUMNS]
    assert (row["proposition_id"], row["college"], row["organisation"]) == (
        str(proposal.pk),
        "Associations",
        "Voix citoyennes",
    )
    assert row["avis"] == "reserve" and row["avis_libelle"] == "Réservé"
    assert row["argument"] == "Le calendrier est trop court."


def test_responses_are_in_the_proposals_files_and_every_version_in_reponses_csv(client):
    """The government's response (decision, text, merge, commitment) is in the proposals'
    CSV and JSON; each version of it, corrections included, is a row of reponses.csv."""
    from forum_ouvert.core.choices import Role
    from participation.cocreation.models import PhaseKind

    staff = UserFactory(role=Role.STAFF)
    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    kept, joined, rejected = (ProposalFactory(process=process, submitted=True) for _ in range(3))
    services.proposal_respond(actor=staff, proposal=kept, status="retenue", text="Oui, car.")
    services.proposal_respond(
        actor=staff, proposal=kept, status="retenue_avec_modifications", text="Oui, mais."
    )
    services.proposal_merge(actor=staff, proposal=joined, into=kept, text="Elles se rejoignent.")
    commitment = services.proposal_promote(actor=staff, proposal=kept)
    rows = {int(r["id"]): r for r in _csv(client, "open_data_proposals_csv")}
    assert rows[kept.pk]["suite"] == "promue"
    assert rows[kept.pk]["reponse_decision"] == "retenue_avec_modifications"
    assert rows[kept.pk]["reponse"] == "Oui, mais." and rows[kept.pk]["reponse_version"] == "2"
    assert rows[kept.pk]["engagement_id"] == commitment.slug
    assert rows[kept.pk]["engagement_url"] == absolute_url(commitment.get_absolute_url())
    assert rows[joined.pk]["suite_libelle"] == "Fusionnée"
    assert rows[joined.pk]["fusionnee_avec"] == str(kept.pk)
    assert rows[rejected.pk]["suite"] == "en_attente" and rows[rejected.pk]["reponse"] == ""
    versions = _csv(client, "open_data_responses_csv")
    assert list(versions[0]) == [name for name, _ in exports.RESPONSE_COLUMNS]
    assert [(int(r["proposition_id"]), r["version"], r["actuelle"]) for r in versions] == [
        (kept.pk, "1", "non"),
        (kept.pk, "2", "oui"),
        (joined.pk, "1", "oui"),
    ]
    data = json.loads(_body(client.get(reverse("cocreation:open_data_responses_json"))))
    assert data[0]["texte"] == "Oui, car."
    proposals = json.loads(_body(client.get(reverse("cocreation:open_data_proposals_json"))))
    assert {p["id"]: p["suite"] for p in proposals}[joined.pk] == "fusionnee"
