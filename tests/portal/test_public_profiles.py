"""Public profiles, opt-in (issue 19, item 4): the consent in « Mon compte », the page, and
the author names that lead to it only when the person consented."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from forum_ouvert.core.models import AuditLog
from forum_ouvert.core.services import user_block, user_set_public_profile
from forum_ouvert.portal.record import export_user_data
from participation.cocreation.models import CoAuthorInvitation
from participation.contributions import services as contributions_services
from tests.cocreation.factories import ProcessFactory, ProposalFactory
from tests.contributions.factories import (
    CommentFactory,
    ConsultationFactory,
    ContributionFactory,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: What differs between two renderings of one page: the request's id and the CSP nonce.
PER_REQUEST = re.compile(r'<code>[0-9a-f]{32}</code>|nonce="[^"]*"')


def public_person(**kwargs):
    return UserFactory(public_display_consent=True, public_profile=True, **kwargs)


def profile_url(person) -> str:
    return reverse("portal:participant", kwargs={"pk": person.pk})


# --- The consent --------------------------------------------------------------------------


def test_consent_is_off_by_default():
    """A new account has no public page."""
    person = UserFactory(public_display_consent=True)
    assert person.public_profile is False
    assert not person.has_public_profile


def test_service_opens_and_closes_the_page_with_audit_rows():
    """Opening then closing one's page writes one audit row each, with the old and new values."""
    person = UserFactory(public_display_consent=True)
    user_set_public_profile(user=person, public=True)
    person.refresh_from_db()
    assert person.public_profile and person.public_profile_at is not None
    user_set_public_profile(user=person, public=False)
    person.refresh_from_db()
    assert not person.public_profile and person.public_profile_at is None
    rows = AuditLog.objects.filter(action="core.user.public_profile").order_by("created_at", "id")
    assert [row.changes for row in rows] == [
        {"public_profile": [False, True]},
        {"public_profile": [True, False]},
    ]
    assert all(row.actor_id == person.pk for row in rows)


def test_service_says_nothing_twice():
    """Closing a page that is already closed writes nothing."""
    person = UserFactory()
    user_set_public_profile(user=person, public=False)
    assert not AuditLog.objects.filter(action="core.user.public_profile").exists()


def test_page_needs_the_name_shown_publicly():
    """Without « afficher mon nom publiquement », the page does not open: a French error."""
    person = UserFactory(public_display_consent=False)
    with pytest.raises(ValidationError) as caught:
        user_set_public_profile(user=person, public=True)
    assert "afficher mon nom publiquement" in caught.value.message_dict["public_profile"][0]
    person.refresh_from_db()
    assert not person.public_profile


def test_blocked_person_may_close_but_not_open():
    """A blocked person cannot open their page, but may close it."""
    staff = UserFactory(role="ditp")
    person = UserFactory(public_display_consent=True)
    user_block(actor=staff, user=person, reason="Spam répété")
    with pytest.raises(ValidationError):
        user_set_public_profile(user=person, public=True)
    opened = public_person()
    user_block(actor=staff, user=opened, reason="Spam répété")
    user_set_public_profile(user=opened, public=False)
    opened.refresh_from_db()
    assert not opened.public_profile


def test_settings_page_turns_the_consent_on(client):
    """« Ma page publique »: ticking the box opens the page and says so."""
    person = UserFactory(public_display_consent=True)
    client.force_login(person)
    url = reverse("portal:public_profile_settings")
    page = client.get(url)
    assert page.status_code == 200
    assert "Publier ma page de participant·e" in page.text
    response = client.post(url, {"public_profile": "on"}, follow=True)
    assert "Votre page publique est ouverte." in response.text
    person.refresh_from_db()
    assert person.public_profile
    assert profile_url(person) in response.text


def test_settings_page_refusal_redisplays_with_error(client):
    """Without a public name, the form comes back (400) with the French error, not a 500."""
    person = UserFactory(public_display_consent=False)
    client.force_login(person)
    response = client.post(reverse("portal:public_profile_settings"), {"public_profile": "on"})
    assert response.status_code == 400
    assert "indiquez d&#x27;abord un nom affiché" in response.text
    person.refresh_from_db()
    assert not person.public_profile


def test_account_page_links_to_the_setting(client):
    """« Mon compte » says whether the page is open and links to its setting."""
    client.force_login(UserFactory())
    page = client.get(reverse("portal:account"))
    assert reverse("portal:public_profile_settings") in page.text
    assert "Vous n'avez pas de page publique" in page.text


def test_data_download_shows_the_consent():
    """The person's data download says whether their page is open, and since when."""
    person = UserFactory(public_display_consent=True)
    assert export_user_data(user=person)["compte"]["page_publique"] is False
    user_set_public_profile(user=person, public=True)
    account = export_user_data(user=person)["compte"]
    assert account["page_publique"] is True
    assert account["page_publique_ouverte_le"] == person.public_profile_at.isoformat()


def test_account_deletion_closes_the_page():
    """Deleting one's account closes the page with everything else."""
    from forum_ouvert.core.services import user_anonymise

    person = public_person()
    user_anonymise(user=person)
    person.refresh_from_db()
    assert not person.public_profile
    assert not person.has_public_profile


# --- The page -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: UserFactory(public_display_consent=True),  # no consent
        lambda: UserFactory(public_display_consent=False, public_profile=True),  # no name
        lambda: public_person(is_active=False),  # deactivated
    ],
    ids=["sans-accord", "nom-masque", "compte-desactive"],
)
def test_page_is_a_404_without_consent(client, make):
    """Without consent, a public name or an open account, the page is a 404 like a missing id."""
    person = make()
    missing = client.get(reverse("portal:participant", kwargs={"pk": person.pk + 10_000}))
    refused = client.get(profile_url(person))
    assert refused.status_code == missing.status_code == 404
    assert PER_REQUEST.sub("", refused.text) == PER_REQUEST.sub("", missing.text)


def test_a_blocked_persons_links_and_page_agree(client):
    """During a block, the author link next to what stays public (a proposal) still leads to
    the person's page, which answers: a block stops writing, not the page they consented to;
    their contribution, sent back to review by the block, has left the page (issue 19)."""
    person = public_person(display_name="Camille Bloquée")
    reviewed = ContributionFactory(author=person, title="Repassée en modération")
    proposal = ProposalFactory(author=person, submitted=True, title="Budget ouvert")
    contributions_services.person_block(
        actor=UserFactory(role="ditp"), user=person, reason="Spam répété"
    )
    link = f'<a href="{profile_url(person)}">Camille Bloquée</a>'
    assert link in client.get(proposal.get_absolute_url()).text
    page = client.get(profile_url(person))
    assert page.status_code == 200
    assert "Camille Bloquée" in page.text
    assert reviewed.title not in page.text
    assert "Budget ouvert" in client.get(profile_url(person) + "?liste=propositions").text


def test_page_lists_only_public_items(client):
    """The page shows published contributions, submitted proposals (authored or co-written)
    and published comments; never hidden, pending or unpublished ones, nor drafts."""
    person = public_person(display_name="Camille Durand")
    consultation = ConsultationFactory()
    shown = ContributionFactory(author=person, consultation=consultation, title="Open data")
    ContributionFactory(author=person, consultation=consultation, hidden=True, title="Masquée")
    ContributionFactory(author=person, consultation=consultation, pending=True, title="Attente")
    ContributionFactory(
        author=person, consultation=ConsultationFactory(draft=True), title="Brouillonne"
    )
    process = ProcessFactory()
    authored = ProposalFactory(author=person, process=process, submitted=True, title="Budget")
    ProposalFactory(author=person, process=process, title="Mon brouillon")
    other = ProposalFactory(process=process, submitted=True, title="Co-écrite")
    CoAuthorInvitation.objects.create(
        proposal=other,
        email=person.email,
        invited_by=other.author,
        accepted_by=person,
        accepted_at=other.submitted_at,
    )
    ProposalFactory(
        author=person, process=ProcessFactory(unpublished=True), submitted=True, title="Cachée"
    )
    comment = CommentFactory(author=person, contribution=shown, body="Un commentaire public")
    CommentFactory(
        author=person, contribution=shown, body="Un commentaire en attente", status="en_attente"
    )
    CommentFactory(
        author=person,
        contribution=ContributionFactory(hidden=True),
        body="Sous une contribution masquée",
    )

    page = client.get(profile_url(person))
    assert page.status_code == 200
    assert "<h1>Camille Durand</h1>" in page.text
    assert shown.get_absolute_url() in page.text
    for title in ("Masquée", "Attente", "Brouillonne"):
        assert title not in page.text
    assert "Contributions (1)" in page.text
    assert "Propositions d&#x27;engagements (2)" in page.text
    assert "Commentaires (1)" in page.text

    proposals = client.get(profile_url(person), {"liste": "propositions"}).text
    assert authored.get_absolute_url() in proposals and other.get_absolute_url() in proposals
    assert "Mon brouillon" not in proposals and "Cachée" not in proposals

    comments = client.get(profile_url(person), {"liste": "commentaires"}).text
    assert f"#commentaire-{comment.pk}" in comments
    assert "Un commentaire public" in comments
    assert "en attente" not in comments and "masquée" not in comments


def test_page_is_paginated(client):
    """More than 20 contributions: the page shows 20 and the pagination component."""
    person = public_person()
    consultation = ConsultationFactory()
    for _i in range(23):
        ContributionFactory(author=person, consultation=consultation)
    first = client.get(profile_url(person))
    assert first.text.count('class="fr-mb-3w"') == 20
    assert "Page 1 sur 2" in first.text
    second = client.get(profile_url(person), {"page": 2})
    assert second.text.count('class="fr-mb-3w"') == 3


def _populate(person, n: int) -> None:
    consultation = ConsultationFactory()
    process = ProcessFactory()
    for _i in range(n):
        contribution = ContributionFactory(author=person, consultation=consultation)
        CommentFactory(author=person, contribution=contribution)
        ProposalFactory(author=person, process=process, submitted=True)


@pytest.mark.parametrize("liste", ["contributions", "propositions", "commentaires"])
def test_page_queries_do_not_grow(client, django_assert_max_num_queries, liste):
    """The page costs the same number of queries with 1 or 20 items of each kind."""
    person = public_person()
    _populate(person, 1)
    with django_assert_max_num_queries(10) as small:
        assert client.get(profile_url(person), {"liste": liste}).status_code == 200
    _populate(person, 19)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(profile_url(person), {"liste": liste}).status_code == 200


def test_page_in_english(client):
    """Under /en/ the page speaks English and keeps the person's name."""
    person = public_person(display_name="Camille Durand")
    ContributionFactory(author=person)
    with translation.override("en"):
        url = profile_url(person)
    assert url.startswith("/en/")
    page = client.get(url)
    assert page.status_code == 200
    assert "Camille Durand" in page.text
    assert "Contributions (1)" in page.text
    assert "Public page of a Forum ouvert participant" in page.text


# --- Author names ------------------------------------------------------------------------


def test_names_not_linked_without_consent(client):
    """Without consent, author names stay plain text in the list, the page and comments."""
    person = UserFactory(public_display_consent=True, display_name="Alex Martin")
    contribution = ContributionFactory(author=person)
    CommentFactory(author=person, contribution=contribution)
    for url in ("/contributions/", contribution.get_absolute_url()):
        text = client.get(url).text
        assert "Alex Martin" in text
        assert profile_url(person) not in text


def test_names_linked_with_consent(client):
    """With consent, the name links to the page in the list, the detail and the comments."""
    person = public_person(display_name="Alex Martin")
    commenter = public_person(display_name="Sam Petit")
    contribution = ContributionFactory(author=person)
    CommentFactory(author=commenter, contribution=contribution)
    listing = client.get("/contributions/").text
    assert f'<a href="{profile_url(person)}">Alex Martin</a>' in listing
    detail = client.get(contribution.get_absolute_url()).text
    assert f'<a href="{profile_url(person)}">Alex Martin</a>' in detail
    assert f'<a href="{profile_url(commenter)}">Sam Petit</a>' in detail


def test_proposal_authors_linked_with_consent(client):
    """Proposals link their author (with the organisation) and co-authors who consented."""
    author = public_person(display_name="Alex Martin")
    coauthor = UserFactory(public_display_consent=True, display_name="Sam Petit")
    proposal = ProposalFactory(author=author, organisation="Voix citoyennes", submitted=True)
    CoAuthorInvitation.objects.create(
        proposal=proposal,
        email=coauthor.email,
        invited_by=author,
        accepted_by=coauthor,
        accepted_at=proposal.submitted_at,
    )
    detail = client.get(proposal.get_absolute_url()).text
    assert f'<a href="{profile_url(author)}">Alex Martin</a>, pour Voix citoyennes' in detail
    assert "Sam Petit" in detail and profile_url(coauthor) not in detail
    listing = client.get(
        reverse("cocreation:proposal_list", kwargs={"slug": proposal.process.plan.slug})
    ).text
    assert f'<a href="{profile_url(author)}">Alex Martin</a>, pour Voix citoyennes' in listing
    version = client.get(
        reverse(
            "cocreation:proposal_version",
            kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk, "number": 1},
        )
    ).text
    assert f'Enregistrée par <a href="{profile_url(author)}">Alex Martin</a>' in version


def test_author_names_are_escaped():
    """A name with markup is escaped, linked or not."""
    from forum_ouvert.core.templatetags.forum_ouvert import author_link

    for person in (
        public_person(display_name="<b>Camille</b>"),
        UserFactory(public_display_consent=True, display_name="<b>Camille</b>"),
    ):
        html = str(author_link(person, organisation="<i>Org</i>"))
        assert "<b>" not in html and "<i>" not in html
        assert "&lt;b&gt;Camille&lt;/b&gt;" in html


def test_list_gains_no_query_with_linked_names(client, django_assert_max_num_queries):
    """The contribution list costs the same whether its authors have public pages or not."""
    consultation = ConsultationFactory()
    for _i in range(5):
        ContributionFactory(consultation=consultation)
    with django_assert_max_num_queries(30) as plain:
        client.get(consultation.get_absolute_url())
    for _i in range(5):
        ContributionFactory(consultation=consultation, author=public_person())
    with django_assert_max_num_queries(len(plain.captured_queries)):
        text = client.get(consultation.get_absolute_url()).text
    assert text.count('href="/participants/') == 5
