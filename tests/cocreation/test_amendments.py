"""Amendments: a participant rewrites a section of someone else's proposal with a reason;
the authors accept (a new version, the amender credited) or decline with a public reason;
the amender is told by e-mail; a refused form keeps its text."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from participation.cocreation import services
from participation.cocreation.models import AmendmentStatus, PhaseKind, ProposalVersion
from tests.factories import UserFactory

from .factories import ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def amender(db):
    # The factory's address is confirmed: the decision e-mail may go to it.
    return UserFactory(email="sam@exemple.fr", display_name="Sam K.", public_display_consent=True)


def _amend(proposal, amender, **changes):
    data = {
        "section": "description",
        "text": "Publier toutes les délibérations, chaque semaine.",
        "reason": "Une fois par mois, c'est trop tard pour réagir.",
        **changes,
    }
    return services.amendment_propose(actor=amender, proposal=proposal, **data)


def test_an_accepted_amendment_is_a_new_version_credited_to_the_amender(
    submitted, author, amender, django_capture_on_commit_callbacks
):
    amendment = _amend(submitted, amender)
    assert amendment.base_version == 1 and amendment.status == AmendmentStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.amendment_accept(actor=author, amendment=amendment)
    submitted.refresh_from_db()
    amendment.refresh_from_db()
    assert submitted.description == "Publier toutes les délibérations, chaque semaine."
    assert submitted.version_count == 2 and amendment.result_version == 2
    version = ProposalVersion.objects.get(proposal=submitted, number=2)
    assert version.author == amender and version.amendment_id == amendment.pk
    assert AuditLog.objects.filter(
        action="cocreation.amendment.decide", changes__status=["propose", "accepte"]
    ).exists()
    (message,) = mail.outbox
    assert message.to == ["sam@exemple.fr"] and "accepté" in message.subject


def test_a_declined_amendment_needs_a_public_reason(
    client, submitted, author, amender, django_capture_on_commit_callbacks
):
    amendment = _amend(submitted, amender)
    with pytest.raises(ValidationError) as caught:
        services.amendment_decline(actor=author, amendment=amendment, reason="  ")
    assert "motif est public" in str(caught.value.message_dict["decision_reason"])
    with django_capture_on_commit_callbacks(execute=True):
        services.amendment_decline(
            actor=author, amendment=amendment, reason="Le rythme mensuel est une obligation."
        )
    submitted.refresh_from_db()
    assert submitted.version_count == 1
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "Refusé" in html and "Le rythme mensuel est une obligation." in html
    assert "n'est pas retenu" in mail.outbox[0].subject
    with pytest.raises(ValidationError, match="impossible"):
        services.amendment_accept(actor=author, amendment=amendment)


def test_who_may_amend_and_decide(submitted, author, amender):
    """The authors do not amend their own proposal (they edit it); the amender does not
    decide; nobody amends a draft or after the proposals phase."""
    with pytest.raises(PermissionDenied):
        _amend(submitted, author)
    amendment = _amend(submitted, amender)
    with pytest.raises(PermissionDenied):
        services.amendment_accept(actor=amender, amendment=amendment)
    draft = ProposalFactory(process=submitted.process, author=author)
    with pytest.raises(PermissionDenied):
        _amend(draft, amender)
    closed = ProposalFactory(
        process=ProcessFactory(current=PhaseKind.DELIBERATION), author=author, submitted=True
    )
    with pytest.raises(PermissionDenied):
        _amend(closed, amender)


def test_a_co_author_decides_too(submitted, author, amender):
    coauthor = UserFactory()
    invitation = services.coauthor_invite(actor=author, proposal=submitted, email="co@exemple.fr")
    services.coauthor_accept(actor=coauthor, invitation=invitation)
    amendment = _amend(submitted, amender)
    services.amendment_decline(actor=coauthor, amendment=amendment, reason="Hors sujet.")
    amendment.refresh_from_db()
    assert amendment.decided_by == coauthor


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"text": ""}, "text", "Écrivez le texte"),
        ({"reason": ""}, "reason", "Dites pourquoi"),
        ({"section": "ogp_values"}, "section", "Choisissez la section"),
        ({"section": "title", "text": "Deux\nlignes"}, "text", "une ligne"),
    ],
)
def test_bad_amendments_are_refused_clearly(submitted, amender, changes, field, error):
    with pytest.raises(ValidationError) as caught:
        _amend(submitted, amender, **changes)
    assert error in str(caught.value.message_dict[field])


def test_an_amendment_that_changes_nothing_is_refused(submitted, amender):
    with pytest.raises(ValidationError, match="déjà celui"):
        _amend(submitted, amender, text=submitted.description)


def test_the_pages_keep_the_typed_text_and_show_the_diff(client, submitted, author, amender):
    """The form starts from the section's text; a refusal keeps what was typed (400); the
    amendment's page shows the change; the author decides there."""
    url = reverse(
        "cocreation:proposal_amend",
        kwargs={"slug": submitted.process.plan.slug, "pk": submitted.pk},
    )
    client.force_login(amender)
    page = client.get(url, {"section": "problem"}).content.decode()
    assert submitted.problem in page
    response = client.post(url, {"section": "problem", "text": "Mon texte à garder", "reason": ""})
    assert response.status_code == 400
    assert "Mon texte à garder" in response.content.decode()
    response = client.post(
        url, {"section": "problem", "text": "Mon texte à garder", "reason": "Plus clair."}
    )
    assert response.status_code == 302
    detail = client.get(response.url).content.decode()
    assert "Ajout : </span>garder</ins>" in detail and "Plus clair." in detail
    assert "Enregistrer la décision" not in detail
    assert client.post(response.url, {"decision": "accepter"}).status_code == 403
    client.force_login(author)
    assert "Enregistrer la décision" in client.get(response.url).content.decode()
    refused = client.post(response.url, {"decision": "refuser", "decision_reason": ""})
    assert refused.status_code == 400
    done = client.post(response.url, {"decision": "accepter"})
    assert done.status_code == 302
    submitted.refresh_from_db()
    assert submitted.problem == "Mon texte à garder"
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "amendement n°" in html and "Sam K." in html


def test_the_proposal_page_lists_amendments_in_constant_queries(
    client, submitted, django_assert_max_num_queries
):
    for i in range(12):
        _amend(submitted, UserFactory(), text=f"Texte {i}")
    with django_assert_max_num_queries(8):
        html = client.get(submitted.get_absolute_url()).content.decode()
    assert "12 amendements" in html
