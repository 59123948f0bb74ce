"""Every URL of the contributions app and of the participant's record, for every role."""

import pytest
from django.urls import reverse

from forum_ouvert.core.choices import Role
from participation.contributions import services
from participation.contributions.models import Statement
from tests.conftest import ROLES

from .factories import CommentFactory, ContributionFactory

STAFF = {Role.STAFF, Role.ADMIN}

# name, method, url(objects) -> path, expected for anonymous, other accounts, DITP staff
MATRIX = [
    ("index", "get", lambda o: "/contributions/", 200, 200, 200),
    ("consultation", "get", lambda o: o["consultation"].get_absolute_url(), 200, 200, 200),
    (
        "synthesis",
        "get",
        lambda o: reverse("contributions:synthesis", args=[o["consultation"].slug]),
        200,
        200,
        200,
    ),
    ("detail", "get", lambda o: o["contribution"].get_absolute_url(), 200, 200, 200),
    (
        "create",
        "get",
        lambda o: reverse("contributions:create", args=[o["consultation"].slug]),
        302,
        200,
        200,
    ),
    ("edit", "get", lambda o: _c(o, "contributions:edit"), 302, 403, 403),
    ("withdraw", "get", lambda o: _c(o, "contributions:withdraw"), 302, 403, 403),
    ("support", "post", lambda o: _c(o, "contributions:support"), 302, 302, 302),
    ("comment", "post", lambda o: _c(o, "contributions:comment"), 302, 302, 302),
    ("follow", "post", lambda o: _c(o, "contributions:follow"), 302, 302, 302),
    (
        "consultation_follow",
        "post",
        lambda o: reverse("contributions:consultation_follow", args=[o["consultation"].slug]),
        302,
        302,
        302,
    ),
    ("report", "get", lambda o: _c(o, "contributions:report"), 302, 200, 200),
    (
        "comment_report",
        "get",
        lambda o: reverse("contributions:comment_report", args=[o["comment"].pk]),
        302,
        200,
        200,
    ),
    ("open_data_csv", "get", lambda o: "/donnees/contributions.csv", 200, 200, 200),
    ("open_data_json", "get", lambda o: "/donnees/contributions.json", 200, 200, 200),
    ("staff_home", "get", lambda o: "/pilotage/contributions/", 302, 403, 200),
    (
        "consultation_create",
        "get",
        lambda o: reverse("contributions:consultation_create"),
        302,
        403,
        200,
    ),
    (
        "consultation_edit",
        "get",
        lambda o: reverse("contributions:consultation_edit", args=[o["consultation"].slug]),
        302,
        403,
        200,
    ),
    ("moderation", "get", lambda o: reverse("contributions:moderation"), 302, 403, 200),
    (
        "respond",
        "get",
        lambda o: reverse("contributions:respond", args=[o["contribution"].pk]),
        302,
        403,
        200,
    ),
    # Moderating one item from its page: a moderator's empty form comes back refused (200);
    # anyone else gets 404, as for an id that does not exist.
    (
        "moderate",
        "post",
        lambda o: reverse("contributions:moderate", args=[o["contribution"].pk]),
        302,
        404,
        200,
    ),
    (
        "comment_moderate",
        "post",
        lambda o: reverse("contributions:comment_moderate", args=[o["comment"].pk]),
        302,
        404,
        200,
    ),
    ("my_statements", "get", lambda o: reverse("contributions:my_statements"), 302, 200, 200),
    # Someone else's statement of reasons: 404 for everyone but its author.
    ("statement", "get", lambda o: o["statement"].get_absolute_url(), 302, 404, 404),
    (
        "statement_answer",
        "get",
        lambda o: reverse("contributions:statement_answer", args=[o["statement"].pk]),
        302,
        403,
        200,
    ),
    (
        "person_block",
        "get",
        lambda o: reverse("contributions:person_block", args=[o["contribution"].author_id]),
        302,
        403,
        200,
    ),
    ("attestation", "get", lambda o: reverse("portal:attestation"), 302, 200, 200),
    (
        "attestation_pdf",
        "get",
        lambda o: reverse("portal:attestation_pdf", args=[o["attestation"].code]),
        302,
        403,
        403,
    ),
    ("attestation_lookup", "get", lambda o: reverse("portal:attestation_lookup"), 200, 200, 200),
    (
        "attestation_verify",
        "get",
        lambda o: reverse("portal:attestation_verify", args=[o["attestation"].code]),
        200,
        200,
        200,
    ),
    ("data_export", "get", lambda o: reverse("portal:data_export"), 302, 200, 200),
]


def _c(objects, name):
    c = objects["contribution"]
    return reverse(name, args=[c.consultation.slug, c.pk])


@pytest.fixture
def objects(contribution, make_user):
    from forum_ouvert.core.extensions import VerifiedParticipation

    other = make_user("citoyen")
    attestation = services.attestation_issue(
        user=other,
        holder_name="Quelqu'un",
        participations=[
            VerifiedParticipation(kind="Atelier", title="A", date=contribution.created_at.date())
        ],
    )
    hidden = ContributionFactory(consultation=contribution.consultation, hidden=True)
    statement = Statement.objects.create(
        contribution=hidden, author=hidden.author, decision="masquee", rule="spam", reason="Spam"
    )
    return {
        "statement": statement,
        "consultation": contribution.consultation,
        "contribution": contribution,
        "comment": CommentFactory(contribution=contribution),
        "attestation": attestation,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "name,method,url,anonymous,others,staff", MATRIX, ids=[row[0] for row in MATRIX]
)
def test_url_by_role(client_for, objects, role, name, method, url, anonymous, others, staff):
    """Each role gets the page, the login page (anonymous) or 403, as the rules say."""
    client, _user = client_for(role)
    data = {"action": "add", "body": "Un commentaire."} if method == "post" else None
    response = getattr(client, method)(url(objects), data)
    expected = anonymous if role is None else staff if role in STAFF else others
    assert response.status_code == expected, (name, role)
    if role is None and expected == 302:
        assert response["Location"].startswith("/compte/login/")


@pytest.mark.django_db
def test_every_url_of_the_app_is_in_the_matrix():
    """No URL of the app escapes the permission matrix."""
    from participation.contributions.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    record = {"attestation", "attestation_pdf", "attestation_lookup", "attestation_verify"}
    assert names | record | {"data_export"} == {row[0] for row in MATRIX}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLES if r is not None])
def test_author_may_edit_and_withdraw(client, make_user, consultation, role):
    """Whatever their role, the author may edit (in time) and withdraw their contribution."""
    author = make_user(role)
    contribution = ContributionFactory(
        consultation=consultation, author=author, theme=consultation.themes.first()
    )
    client.force_login(author)
    assert client.get(_c({"contribution": contribution}, "contributions:edit")).status_code == 200
    assert (
        client.get(_c({"contribution": contribution}, "contributions:withdraw")).status_code == 200
    )
