"""In Chromium: an association drafts a commitment proposal, submits it, revises it, and the
public reads the proposal page and the diff of its versions. axe on every page, with no
violation of any impact."""

import pytest
from playwright.sync_api import expect

from participation.cocreation.models import Proposal
from tests.cocreation.factories import ProcessFactory
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _no_violation(axe, page):
    results = axe(page)
    violations = [
        f"[{v.get('impact')}] {v['id']}: {v['help']}" for v in results.response["violations"]
    ]
    assert violations == [], page.url


def test_a_proposal_is_drafted_submitted_revised_and_compared(
    page, live_server, make_user, axe, csp_violations
):
    """From the calendar to the diff of two versions, every page works and passes axe."""
    process = ProcessFactory(plan__title="Plan d'action national 2027-2029")
    make_user(
        "association", email="asso@exemple.fr", display_name="Léa V.", public_display_consent=True
    )
    browser_login(page, live_server, "asso@exemple.fr")

    # 1. The calendar, then the form in the OGP template.
    page.goto(f"{live_server.url}{process.get_absolute_url()}")
    expect(page.get_by_role("table", name="Phases de la co-construction")).to_be_visible()
    _no_violation(axe, page)
    page.get_by_role("link", name="Proposer un engagement").click()
    _no_violation(axe, page)
    page.get_by_label("Titre de la proposition").fill("Ouvrir les délibérations locales")
    page.get_by_label("Au nom de l'organisation").fill("Voix citoyennes")
    page.get_by_label("Quel est le problème à résoudre ?").fill("Elles sont introuvables.")
    page.get_by_label("Quel est l'engagement proposé ?").fill("Les publier en données ouvertes.")
    page.get_by_label("Comment contribuera-t-il à résoudre le problème ?").fill(
        "Chacun pourra les lire."
    )
    page.get_by_label("Transparence et accès à l'information").check(force=True)
    page.locator("#id_jalons-0-deliverable").fill("Un format commun")
    page.locator("#id_jalons-0-ends_on").fill("2027-06-30")
    page.get_by_role("button", name="Enregistrer le brouillon").click()

    # 2. The draft, private, then submitted.
    expect(page.get_by_text("Brouillon : seuls ses auteurs le voient")).to_be_visible()
    _no_violation(axe, page)
    page.get_by_role("link", name="Déposer la proposition").click()
    _no_violation(axe, page)
    page.get_by_role("button", name="Déposer ma proposition").click()
    expect(page.get_by_text("Votre proposition est déposée")).to_be_visible()

    # 3. A revision: version 2.
    page.get_by_role("link", name="Modifier (nouvelle version)").click()
    page.get_by_label("Quel est l'engagement proposé ?").fill(
        "Les publier en données ouvertes, chaque mois."
    )
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_role("link", name="Version 2")).to_be_visible()
    proposal = Proposal.objects.get()
    assert proposal.version_count == 2

    # 4. The public reads the proposal page and compares the versions.
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ouvrir les délibérations")
    expect(page.get_by_text("Par Léa V., pour Voix citoyennes")).to_be_visible()
    expect(page.get_by_role("cell", name="Un format commun")).to_be_visible()
    _no_violation(axe, page)
    page.get_by_role("button", name="Comparer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparer les versions")
    added = page.locator("ins").first
    expect(added).to_contain_text("Ajout : ")
    expect(added).to_contain_text("chaque mois.")
    expect(page.locator("del").first).to_contain_text("Suppression : ")
    _no_violation(axe, page)
    assert csp_violations == []


def test_an_author_invites_a_co_author_who_accepts_and_edits(
    page, live_server, make_user, axe, csp_violations
):
    """The author invites by e-mail; the invited person opens the e-mailed link, logs in,
    accepts, adds a version in their name and is named on the proposal."""
    import re

    from django.core import mail

    from tests.cocreation.factories import ProposalFactory

    author = make_user(
        "association", email="asso@exemple.fr", display_name="Léa V.", public_display_consent=True
    )
    make_user("citizen", email="sam@exemple.fr", display_name="Sam K.", public_display_consent=True)
    proposal = ProposalFactory(author=author, submitted=True, title="Ouvrir les budgets")
    browser_login(page, live_server, "asso@exemple.fr")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    page.get_by_role("link", name="Inviter des co-auteurs").click()
    _no_violation(axe, page)
    page.get_by_label("Adresse électronique de la personne à inviter").fill("sam@")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_label("Adresse électronique de la personne à inviter")).to_have_value("sam@")
    _no_violation(axe, page)
    page.get_by_label("Adresse électronique de la personne à inviter").fill("sam@exemple.fr")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("sam@exemple.fr — envoyée le")).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").first.click()

    (message,) = [m for m in mail.outbox if m.to == ["sam@exemple.fr"]]
    link = re.search(r"https?://\S+/co-construction/invitation/\S+/", message.body).group(0)
    path = link.split("/co-construction/", 1)[1]
    browser_login(page, live_server, "sam@exemple.fr")
    page.goto(f"{live_server.url}/co-construction/{path}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Invitation à co-écrire une proposition"
    )
    _no_violation(axe, page)
    page.get_by_role("button", name="Accepter et co-écrire").click()
    expect(page.get_by_text("Vous co-écrivez désormais cette proposition.")).to_be_visible()
    expect(page.get_by_text("Co-écrite avec Sam K.")).to_be_visible()
    page.get_by_role("link", name="Modifier (nouvelle version)").click()
    page.get_by_label("Quel est l'engagement proposé ?").fill("Publier chaque budget voté.")
    page.get_by_role("button", name="Enregistrer une nouvelle version").click()
    expect(page.get_by_text("Version 2, par Sam K.")).to_be_visible()
    _no_violation(axe, page)
    assert csp_violations == []


def test_a_forum_member_gives_an_opinion_read_by_college(page, live_server, axe, csp_violations):
    """In deliberation, a member's representative gives an opinion (an empty one is
    refused with the text kept), and the public reads it under its college."""
    from participation.cocreation.models import PhaseKind
    from tests.cocreation.factories import ProposalFactory
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
    browser_login(page, live_server, member.application.applicant.email)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    page.get_by_role("link", name="Donner l'avis de Voix citoyennes").click()
    _no_violation(axe, page)
    page.get_by_label("Argument").fill("Attendu, mais le calendrier est trop court.")
    page.get_by_role("button", name="Publier l'avis").click()
    expect(page.get_by_label("Argument")).to_have_value(
        "Attendu, mais le calendrier est trop court."
    )
    _no_violation(axe, page)
    page.get_by_text("Réservé", exact=True).click()
    page.get_by_role("button", name="Publier l'avis").click()
    page.get_by_role("button", name="Se déconnecter").first.click()
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    section = page.get_by_role("region", name="Avis du Forum ouvert")
    expect(section).to_contain_text("Associations")
    expect(section).to_contain_text("Voix citoyennes")
    expect(section).to_contain_text("Attendu, mais le calendrier est trop court.")
    _no_violation(axe, page)
    assert csp_violations == []


def test_a_citizen_amends_and_the_author_accepts(page, live_server, make_user, axe, csp_violations):
    """A citizen proposes a rewrite of a section (an amendment without reason is refused
    with its text kept), the author reads the diff and accepts: version 2, by the citizen."""
    from tests.cocreation.factories import ProposalFactory

    author = make_user(
        "association", email="asso@exemple.fr", display_name="Léa V.", public_display_consent=True
    )
    make_user("citizen", email="sam@exemple.fr", display_name="Sam K.", public_display_consent=True)
    proposal = ProposalFactory(author=author, submitted=True, title="Ouvrir les budgets")
    browser_login(page, live_server, "sam@exemple.fr")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    page.get_by_role("link", name="Proposer un amendement").click()
    _no_violation(axe, page)
    page.get_by_label("Texte proposé pour cette section").fill(
        "Publier chaque budget voté, en ligne."
    )
    page.get_by_role("button", name="Publier l'amendement").click()
    expect(page.get_by_label("Texte proposé pour cette section")).to_have_value(
        "Publier chaque budget voté, en ligne."
    )
    _no_violation(axe, page)
    page.get_by_label("Pourquoi ce changement ?").fill("Plus précis.")
    page.get_by_role("button", name="Publier l'amendement").click()
    expect(page.get_by_text("Votre amendement est publié")).to_be_visible()
    expect(page.locator("ins").first).to_contain_text("Ajout : ")
    _no_violation(axe, page)
    page.get_by_role("button", name="Se déconnecter").first.click()

    browser_login(page, live_server, "asso@exemple.fr")
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    page.get_by_role("link", name="Amendement n°").first.click()
    page.get_by_text("Accepter : une nouvelle version").click()
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("L'amendement est accepté")).to_be_visible()
    _no_violation(axe, page)
    page.goto(f"{live_server.url}{proposal.get_absolute_url()}")
    expect(page.get_by_text("Version 2, par Sam K.")).to_be_visible()
    _no_violation(axe, page)
    assert csp_violations == []


def test_staff_respond_merge_two_proposals_and_promote_one(
    page, live_server, make_user, axe, csp_violations
):
    """After the proposals phase, DITP staff answer a proposal (a response without reasons
    is refused with the choice kept), merge a second one into it, then turn it into a
    draft commitment whose page links back; the public reads « fusionnée avec … »."""
    from participation.cocreation.models import PhaseKind
    from tests.cocreation.factories import ProposalFactory

    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    author = make_user(
        "association", email="asso@exemple.fr", display_name="Léa V.", public_display_consent=True
    )
    kept = ProposalFactory(
        process=process, author=author, submitted=True, title="Ouvrir les budgets"
    )
    twin = ProposalFactory(process=process, submitted=True, title="Publier les budgets votés")
    staff = make_user("ditp", display_name="Agent DITP")
    browser_login(page, live_server, staff.email)

    # 1. The reasoned response: refused without reasons, the decision kept; then published.
    page.goto(f"{live_server.url}{kept.get_absolute_url()}")
    page.get_by_role("link", name="Répondre (retenir, fusionner…)").click()
    _no_violation(axe, page)
    page.get_by_text("Retenue avec modifications", exact=True).click()
    page.get_by_role("button", name="Publier la réponse").click()
    expect(
        page.get_by_text("Expliquez la décision : ses motifs sont publics.").first
    ).to_be_visible()
    expect(page.get_by_label("Retenue avec modifications", exact=True)).to_be_checked()
    _no_violation(axe, page)
    page.get_by_label("Retour argumenté").fill("Retenue, avec un premier bilan dès 2027.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("La réponse du gouvernement est publiée")).to_be_visible()
    expect(page.get_by_role("region", name="Réponse du gouvernement")).to_contain_text(
        "Retenue, avec un premier bilan dès 2027."
    )
    _no_violation(axe, page)

    # 2. The merge: the second proposal joins the first.
    page.goto(f"{live_server.url}{twin.get_absolute_url()}")
    page.get_by_role("link", name="Répondre (retenir, fusionner…)").click()
    page.get_by_text("Fusionnée", exact=True).click()
    page.get_by_label("Fusionnée avec la proposition").select_option(
        label=f"n° {kept.pk} — Ouvrir les budgets"
    )
    page.get_by_label("Retour argumenté").fill("Les deux propositions se rejoignent.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_text("Fusionnée avec")).to_be_visible()
    _no_violation(axe, page)

    # 3. The promotion: a draft commitment of the plan, its page pointing back.
    page.goto(f"{live_server.url}{kept.get_absolute_url()}")
    expect(page.get_by_text("Propositions fusionnées avec celle-ci")).to_be_visible()
    page.get_by_role("link", name="En faire un engagement du plan").click()
    _no_violation(axe, page)
    page.get_by_role("button", name="Créer l'engagement").click()
    expect(page.get_by_text("La proposition est devenue l'engagement n° 1")).to_be_visible()
    origin = page.get_by_role("region", name="Issu de la co-construction")
    expect(origin).to_contain_text(f"proposition n° {kept.pk}")
    expect(origin).to_contain_text("Léa V.")
    _no_violation(axe, page)
    page.get_by_role("button", name="Se déconnecter").first.click()

    # 4. The public reads the merged proposal's page.
    page.goto(f"{live_server.url}{twin.get_absolute_url()}")
    expect(page.get_by_role("link", name="la proposition n°")).to_have_attribute(
        "href", kept.get_absolute_url()
    )
    _no_violation(axe, page)
    assert csp_violations == []
