"""The forum deliberates: during the deliberation phase, each member organisation of the
Forum ouvert gives its opinion on a submitted proposal (favorable, réservé, défavorable)
with an argument, and may revise it; the public page shows the opinions by college."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core import access
from forum_ouvert.core.models import AuditLog
from participation.cocreation import services
from participation.cocreation.models import SECTION_MAX, Opinion, PhaseKind, Verdict
from tests.factories import UserFactory
from tests.forum.factories import CallFactory, MemberFactory

from .factories import UPCOMING, ProcessFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliberated(author):
    """A submitted proposal whose co-creation is in its deliberation phase."""
    process = ProcessFactory(current=PhaseKind.DELIBERATION)
    return ProposalFactory(process=process, author=author, submitted=True)


@pytest.fixture
def call():
    """A published call with two colleges: « Associations », then « Chercheurs »."""
    return CallFactory(published=True)


def _member(call, college_name="Associations", **kwargs):
    college = call.colleges.get(name=college_name)
    return MemberFactory(application__call=call, application__college=college, **kwargs)


@pytest.fixture
def member(call):
    return _member(call, application__organisation_name="Voix citoyennes")


@pytest.fixture
def representative(member):
    """The person who represents the member (the applicant of its application)."""
    return member.application.applicant


def _give(proposal, actor, **changes):
    data = {
        "verdict": Verdict.FAVORABLE,
        "argument": "Une mesure attendue, simple à mettre en œuvre.",
        **changes,
    }
    return services.opinion_give(actor=actor, proposal=proposal, **data)


def test_a_member_gives_then_revises_its_opinion(deliberated, member, representative):
    """The revision replaces the opinion (one per member) and the audit keeps the old one."""
    opinion = _give(deliberated, representative)
    assert (opinion.member, opinion.author, opinion.verdict) == (
        member,
        representative,
        Verdict.FAVORABLE,
    )
    assert AuditLog.objects.filter(
        action="cocreation.opinion.give", changes__verdict=[None, "favorable"]
    ).exists()
    revised = _give(deliberated, representative, verdict=Verdict.RESERVED, argument="Le coût ?")
    assert revised.pk == opinion.pk and Opinion.objects.count() == 1
    revised.refresh_from_db()
    assert (revised.verdict, revised.argument) == (Verdict.RESERVED, "Le coût ?")
    entry = AuditLog.objects.get(action="cocreation.opinion.revise")
    assert entry.changes["verdict"] == ["favorable", "reserve"]
    assert entry.changes["argument"][0] == "Une mesure attendue, simple à mettre en œuvre."


def test_an_unchanged_opinion_is_refused(deliberated, representative):
    _give(deliberated, representative)
    with pytest.raises(ValidationError, match="rien n'a changé"):
        _give(deliberated, representative)


def test_only_members_give_an_opinion_and_only_in_deliberation(
    deliberated, call, member, representative, author
):
    """A person who represents no member, a member that left the forum, and anyone outside
    the deliberation phase (or on a draft) are refused."""
    for outsider in (UserFactory(), author):
        with pytest.raises(PermissionDenied):
            _give(deliberated, outsider)
    gone = _member(call, left_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        _give(deliberated, gone.application.applicant)
    for kind in (PhaseKind.PROPOSALS, PhaseKind.DRAFTING):
        other = ProposalFactory(process=ProcessFactory(current=kind), submitted=True)
        with pytest.raises(PermissionDenied):
            _give(other, representative)
    draft = ProposalFactory(process=deliberated.process)
    with pytest.raises(PermissionDenied):
        _give(draft, representative)
    assert not Opinion.objects.exists()


def test_a_person_speaks_only_for_the_members_they_represent(deliberated, call, representative):
    """Someone who represents two members says which one speaks; nobody speaks for a
    member they do not represent."""
    second = _member(call, "Chercheurs", application__applicant=representative)
    with pytest.raises(ValidationError) as caught:
        _give(deliberated, representative)
    assert "Choisissez l'organisation" in str(caught.value.message_dict["member"])
    assert _give(deliberated, representative, member=second).member == second
    stranger = _member(call)
    with pytest.raises(PermissionDenied):
        _give(deliberated, representative, member=stranger)


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"verdict": ""}, "verdict", "Choisissez un avis"),
        ({"verdict": "enthousiaste"}, "verdict", "Choisissez un avis"),
        ({"argument": "   "}, "argument", "Argumentez l'avis"),
        ({"argument": "x" * (SECTION_MAX + 1)}, "argument", "Au plus"),
    ],
)
def test_bad_opinions_are_refused_clearly(deliberated, representative, changes, field, error):
    with pytest.raises(ValidationError) as caught:
        _give(deliberated, representative, **changes)
    assert error in str(caught.value.message_dict[field])


def _url(proposal):
    return reverse(
        "cocreation:proposal_opinion",
        kwargs={"slug": proposal.process.plan.slug, "pk": proposal.pk},
    )


def test_the_form_keeps_the_typed_argument_and_revises(client, deliberated, member, representative):
    """A member sees the button on the proposal; a refusal keeps what was typed (400); the
    form of a member who already spoke starts from its opinion."""
    client.force_login(representative)
    page = client.get(deliberated.get_absolute_url()).content.decode()
    assert "Donner l'avis de Voix citoyennes" in page
    member_id = member.pk
    response = client.post(
        _url(deliberated), {"member": member_id, "verdict": "", "argument": "Mon argument"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Mon argument" in html and "Choisissez un avis" not in html  # the form's own check
    assert "Ce champ est obligatoire" in html
    response = client.post(
        _url(deliberated),
        {"member": member_id, "verdict": "defavorable", "argument": "Mon argument"},
    )
    assert response.status_code == 302 and response.url.endswith("#avis")
    form = client.get(_url(deliberated)).content.decode()
    assert "déjà donné un avis « Défavorable »" in form and "Mon argument" in form


def test_nobody_else_sees_the_button(client, deliberated, author):
    client.force_login(author)
    page = client.get(deliberated.get_absolute_url()).content.decode()
    assert "Avis du Forum ouvert" in page and "Donner l'avis" not in page
    assert client.get(_url(deliberated)).status_code == 403


def test_the_page_shows_the_opinions_by_college_in_constant_queries(
    client, deliberated, call, django_assert_max_num_queries
):
    """Colleges in their order, each member's verdict and argument, counts per verdict;
    the number of queries does not grow with the opinions."""
    verdicts = [Verdict.FAVORABLE, Verdict.RESERVED, Verdict.UNFAVORABLE]

    def give(i):
        college = "Chercheurs" if i % 3 == 0 else "Associations"
        member = _member(call, college, application__organisation_name=f"Organisation {i:02d}")
        _give(
            deliberated,
            member.application.applicant,
            verdict=verdicts[i % 3],
            argument=f"Argument n° {i}",
        )

    give(0)
    with CaptureQueriesContext(connection) as one:
        client.get(deliberated.get_absolute_url())
    for i in range(1, 9):
        give(i)
    with django_assert_max_num_queries(len(one)):
        html = client.get(deliberated.get_absolute_url()).content.decode()
    assert len(one) <= 9
    assert "9 avis des membres du forum" in html
    assert "Favorable : 3" in html and "Réservé : 3" in html and "Défavorable : 3" in html
    associations = html.index("Collège « Associations »")
    researchers = html.index("Collège « Chercheurs »")
    assert associations < html.index("Organisation 01") < researchers
    assert researchers < html.index("Organisation 00") and "Argument n° 4" in html


def test_a_person_who_represents_two_members_picks_one(client, deliberated, call, representative):
    """One button per member; the form offers both and starts from the chosen one's
    opinion; a forged member is refused by the form (400), nothing is recorded."""
    second = _member(
        call,
        "Chercheurs",
        application__applicant=representative,
        application__organisation_name="Labo des communs",
    )
    _give(deliberated, representative, member=second, verdict=Verdict.RESERVED)
    client.force_login(representative)
    page = client.get(deliberated.get_absolute_url()).content.decode()
    assert "Donner l'avis de Voix citoyennes" in page
    assert "Revoir l'avis de Labo des communs" in page
    form = client.get(_url(deliberated), {"membre": second.pk}).content.decode()
    assert "Labo des communs (Chercheurs)" in form and "Voix citoyennes (Associations)" in form
    assert "déjà donné un avis « Réservé »" in form
    stranger = _member(call)
    response = client.post(
        _url(deliberated), {"member": stranger.pk, "verdict": "favorable", "argument": "Oui."}
    )
    assert response.status_code == 400
    assert "Vous ne représentez pas cette organisation" in response.content.decode()
    assert not Opinion.objects.filter(member=stranger).exists()


def test_a_missing_member_on_the_form_is_said(client, deliberated, representative):
    """The member field is hidden for who represents one member: its error is shown at the
    top of the form, and the argument typed is kept."""
    client.force_login(representative)
    response = client.post(_url(deliberated), {"verdict": "favorable", "argument": "Gardé"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Gardé" in html
    assert "Choisissez l&#x27;organisation au nom de laquelle" in html


@pytest.mark.parametrize("phase", [UPCOMING, *PhaseKind.values])
def test_a_member_may_give_an_opinion_only_in_the_deliberation_phase(phase, representative):
    """The button and the form exist for a member during deliberation only."""
    proposal = ProposalFactory(process=ProcessFactory(current=phase), submitted=True)
    allowed = access.may(representative, "cocreation.give_opinion", proposal)
    assert allowed is (phase == PhaseKind.DELIBERATION)
