"""Reports, the moderation queue, hiding with a public reason, restoring; all journaled."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from participation.contributions import services
from participation.contributions.models import (
    Comment,
    PublicationStatus,
    Report,
    ReportStatus,
    TransitionNotAllowed,
    next_status,
)

from .factories import CommentFactory, ConsultationFactory, ContributionFactory, ReportFactory

pytestmark = pytest.mark.django_db
QUEUE = "/pilotage/contributions/moderation/"


def test_anyone_logged_in_reports_once(client, make_user, contribution):
    """A report is sent with a reason; a second one on the same item is refused politely."""
    client.force_login(make_user("citoyen"))
    url = reverse("contributions:report", args=[contribution.consultation.slug, contribution.pk])
    assert client.post(url, {"reason": "injurieux", "details": "Insulte"}).status_code == 302
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 200
    assert "Vous avez déjà signalé cette contribution." in response.content.decode()
    assert Report.objects.count() == 1


def test_comment_report(client, make_user, contribution):
    """A comment can be reported too."""
    comment = CommentFactory(contribution=contribution)
    client.force_login(make_user("citoyen"))
    url = reverse("contributions:comment_report", args=[comment.pk])
    assert client.post(url, {"reason": "spam"}).status_code == 302
    assert Report.objects.get().comment == comment


def test_queue_shows_reports_and_pending(client, make_user, contribution):
    """Staff see reported and pending items with the reports' count, reason and text."""
    ReportFactory(contribution=contribution, details="Des insultes au 2e paragraphe")
    ReportFactory(contribution=contribution)
    pending = ContributionFactory(
        consultation=ConsultationFactory(a_priori=True), pending=True, title="À valider"
    )
    client.force_login(make_user("ditp"))
    html = client.get(QUEUE).content.decode()
    assert contribution.title in html
    assert "Des insultes au 2e paragraphe" in html
    assert "<strong>2</strong>" in html
    assert pending.title in html


def test_hide_needs_a_public_reason(make_user, contribution):
    """Hiding without a reason is refused."""
    with pytest.raises(ValidationError):
        services.contribution_moderate(
            actor=make_user("ditp"), contribution=contribution, act="hide"
        )


def test_hide_then_restore_is_journaled(client, make_user, contribution):
    """Hidden, the contribution shows « masquée par la modération : … »; restored, it is back;
    each act has an audit row with who, old and new state, and why."""
    report = ReportFactory(contribution=contribution)
    staff = make_user("ditp")
    services.contribution_moderate(
        actor=staff,
        contribution=contribution,
        act="hide",
        reason="Propos injurieux",
        rule="injurieux",
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.UPHELD
    html = client.get(contribution.get_absolute_url()).content.decode()
    assert "Masquée par la modération : Propos injurieux" in html
    assert contribution.body not in html
    assert contribution.title not in client.get("/contributions/").content.decode()
    services.contribution_moderate(actor=staff, contribution=contribution, act="restore")
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED
    rows = AuditLog.objects.filter(target_id=str(contribution.pk)).order_by("created_at", "id")
    assert [(r.action, r.actor, r.changes["status"], r.reason) for r in rows] == [
        ("contributions.contribution.hide", staff, ["publiee", "masquee"], "Propos injurieux"),
        ("contributions.contribution.restore", staff, ["masquee", "publiee"], ""),
    ]


def test_a_priori_approval(make_user):
    """A pending contribution is published by a moderator's approval."""
    contribution = ContributionFactory(
        consultation=ConsultationFactory(a_priori=True), pending=True
    )
    services.contribution_moderate(
        actor=make_user("ditp"), contribution=contribution, act="approve"
    )
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED


@pytest.mark.parametrize(
    "act,state",
    [
        ("approve", PublicationStatus.PUBLISHED),
        ("restore", PublicationStatus.PUBLISHED),
        ("withdraw", PublicationStatus.HIDDEN),
        ("withdraw", PublicationStatus.WITHDRAWN),
        ("edit_a_priori", PublicationStatus.HIDDEN),
    ],
)
def test_forbidden_transitions(act, state):
    """The state machine refuses moves it does not list."""
    with pytest.raises(TransitionNotAllowed):
        next_status(act, state)


def test_dismiss_reports(make_user, contribution):
    """Dismissing closes the open reports without touching the contribution; journaled."""
    ReportFactory(contribution=contribution)
    staff = make_user("ditp")
    assert services.reports_dismiss(actor=staff, contribution=contribution, reason="Rien") == 1
    assert Report.objects.get().status == ReportStatus.DISMISSED
    assert AuditLog.objects.filter(action="contributions.contribution.dismiss_reports").exists()


def test_bulk_hide_with_htmx(client, make_user, consultation):
    """Ticking several items and « masquer » hides them; the queue fragment comes back."""
    items = [ContributionFactory(consultation=consultation) for _i in range(3)]
    for item in items:
        ReportFactory(contribution=item)
    comment = CommentFactory(contribution=items[0])
    ReportFactory(contribution=None, comment=comment)
    client.force_login(make_user("ditp"))
    response = client.post(
        QUEUE,
        {
            "act": "hide",
            "rule": "hors_sujet",
            "reason": "Hors charte",
            "contributions": [items[0].pk, items[1].pk],
            "comments": [comment.pk],
        },
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "3 éléments traités" in html
    assert items[2].title in html  # still in the queue
    assert items[0].title not in html
    for item in items[:2]:
        item.refresh_from_db()
        assert item.status == PublicationStatus.HIDDEN
    assert Comment.objects.get().status == PublicationStatus.HIDDEN
    assert AuditLog.objects.filter(action__startswith="contributions.").count() == 3


def test_bulk_without_reason_keeps_the_selection(client, make_user, contribution):
    """« Masquer » without a reason re-displays the form with a French error."""
    ReportFactory(contribution=contribution)
    client.force_login(make_user("ditp"))
    response = client.post(QUEUE, {"act": "hide", "contributions": [contribution.pk]})
    assert response.status_code == 200
    assert "Indiquez le motif public du masquage" in response.content.decode()


def test_bulk_skips_items_in_the_wrong_state(client, make_user, contribution):
    """« Publier » on an already published item is skipped and counted."""
    client.force_login(make_user("ditp"))
    response = client.post(QUEUE, {"act": "approve", "contributions": [contribution.pk]})
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "1 ignoré : son état" in follow


@pytest.mark.parametrize(
    "data",
    [
        {"act": "hide", "reason": "x", "contributions": ["abc"]},
        {"act": "hide", "reason": "x", "contributions": ["99999999999999999999999"]},
        {"act": "drop table", "contributions": ["1"]},
        {"act": "hide"},
    ],
)
def test_bulk_hostile_input(client, make_user, data):
    """Bad selections give a form error, never a 500."""
    client.force_login(make_user("ditp"))
    assert client.post(QUEUE, data).status_code == 200


def test_hidden_comment_shows_its_reason(client, make_user, contribution):
    """A hidden comment is replaced by « Commentaire masqué par la modération : … »."""
    comment = CommentFactory(contribution=contribution, body="Texte injurieux")
    services.comment_moderate(
        actor=make_user("ditp"), comment=comment, act="hide", reason="Injure", rule="injurieux"
    )
    html = client.get(contribution.get_absolute_url()).content.decode()
    assert "Commentaire masqué par la modération : Injure" in html
    assert "Texte injurieux" not in html


def test_queue_queries_do_not_grow(client, make_user, consultation, django_assert_max_num_queries):
    """The moderation queue costs the same with 2 or 30 reported items."""
    client.force_login(make_user("ditp"))

    def add(n):
        for _i in range(n):
            c = ContributionFactory(consultation=consultation)
            ReportFactory(contribution=c)
            ReportFactory(contribution=None, comment=CommentFactory(contribution=c))

    add(2)
    with django_assert_max_num_queries(12) as small:
        client.get(QUEUE)
    add(28)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(QUEUE)


def test_staff_see_the_journal_on_the_contribution(client, make_user, contribution):
    """Moderators see who hid, restored or answered a contribution, when and why."""
    staff = make_user("ditp", display_name="Modératrice Une")
    services.contribution_moderate(
        actor=staff, contribution=contribution, act="hide", reason="Hors charte", rule="hors_sujet"
    )
    client.force_login(make_user("ditp"))
    html = client.get(contribution.get_absolute_url()).content.decode()
    assert "Masquée par la modération — Modératrice Une : « Hors charte »" in html
    client.force_login(make_user("citoyen"))
    assert "Modératrice Une" not in client.get(contribution.get_absolute_url()).content.decode()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_bulk_act_keeps_the_ticks_and_the_reason(client, make_user, consultation, htmx):
    """Refused (« Masquer » with no reason, or nothing ticked), the queue comes back with the
    ticked rows still ticked, the typed reason kept, and a message saying why; the reason is
    not labelled « (Optionnel) » (issue 22, item 10)."""
    items = [ContributionFactory(consultation=consultation) for _i in range(2)]
    for item in items:
        ReportFactory(contribution=item)
    client.force_login(make_user("ditp"))
    headers = {"HX-Request": "true"} if htmx else {}
    fresh = client.get(QUEUE).content.decode()
    reason_label = fresh[fresh.index('for="id_reason"') :].split("</label>")[0]
    assert "Optionnel" not in reason_label and "obligatoire pour masquer" in reason_label
    assert "facultatif et inscrit au journal" in fresh

    response = client.post(
        QUEUE, {"act": "hide", "reason": "  ", "contributions": [items[1].pk]}, headers=headers
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Indiquez le motif public du masquage" in html
    assert f'id="choix-contribution-{items[1].pk}" checked' in html
    assert f'id="choix-contribution-{items[0].pk}">' in html  # not ticked

    response = client.post(QUEUE, {"act": "hide", "reason": "Hors charte"}, headers=headers)
    html = response.content.decode()
    # The summary names the missing field and links to the queue's tables.
    assert '<a href="#elements-a-traiter">Sélection</a> : Cochez au moins une contribution' in html
    assert 'id="elements-a-traiter" tabindex="-1"' in html
    assert 'value="Hors charte"' in html
    for item in items:
        item.refresh_from_db()
        assert item.status == PublicationStatus.PUBLISHED


def _moderate_url(item) -> str:
    if isinstance(item, Comment):
        return reverse("contributions:comment_moderate", args=[item.pk])
    return reverse("contributions:moderate", args=[item.pk])


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_inline_hide_keeps_the_choice_and_names_the_reason(
    client, make_user, contribution, htmx
):
    """« Masquer » on a contribution's page with a rule and no reason: the form comes back
    with the rule still chosen, saying the reason is missing; nothing is hidden (issue 19,
    item 10). Without htmx, the whole page; with htmx, the form alone."""
    client.force_login(make_user("ditp"))
    prefix = f"moderer-contribution-{contribution.pk}"
    response = client.post(
        _moderate_url(contribution),
        {f"{prefix}-act": "hide", f"{prefix}-rule": "injurieux", f"{prefix}-reason": " "},
        headers={"HX-Request": "true", "HX-Target": prefix} if htmx else {},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "HX-Request" in response["Vary"]
    assert f'id="resume-erreurs-{prefix}"' in html
    assert f'<a href="#id_{prefix}-reason">Motif (obligatoire pour masquer)</a>' in html
    assert "Indiquez le motif public du masquage" in html
    assert '<option value="injurieux" selected>' in html
    assert ("<html" in html) is not htmx
    if not htmx:
        assert "<title>Erreur : " in html
        assert contribution.title in html  # the contribution's page, not the queue
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED
    assert not AuditLog.objects.filter(action="contributions.contribution.hide").exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_a_refused_comment_hide_keeps_the_reason_and_names_the_rule(
    client, make_user, contribution, htmx
):
    """A comment's inline « Masquer » with a reason and no rule: the typed reason is kept,
    the rule is named as missing, and (without htmx) that comment's form is open again."""
    comment = CommentFactory(contribution=contribution)
    other = CommentFactory(contribution=contribution)
    client.force_login(make_user("ditp"))
    prefix = f"moderer-commentaire-{comment.pk}"
    response = client.post(
        _moderate_url(comment),
        {f"{prefix}-act": "hide", f"{prefix}-reason": "Propos injurieux"},
        headers={"HX-Request": "true", "HX-Target": prefix} if htmx else {},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Propos injurieux"' in html
    assert "Choisissez la règle concernée" in html
    assert f'<a href="#id_{prefix}-rule">Règle concernée (obligatoire pour masquer)</a>' in html
    if htmx:
        assert "<html" not in html and f'id="moderer-commentaire-{other.pk}"' not in html
    else:
        article = html[html.index(f'id="commentaire-{comment.pk}"') :]
        assert article.split("</summary>")[0].endswith(
            '<details class="fr-mb-1w" open><summary class="fr-text--sm">Modérer ce commentaire'
        )
        # The other comment's form is blank and closed.
        other_article = html[html.index(f'id="commentaire-{other.pk}"') :].split("</article>")[0]
        assert "open>" not in other_article and "Propos injurieux" not in other_article
    comment.refresh_from_db()
    assert comment.status == PublicationStatus.PUBLISHED


@pytest.mark.parametrize("htmx", [False, True])
def test_an_inline_hide_goes_back_to_the_page(client, make_user, contribution, htmx):
    """With a rule and a reason, the comment is hidden, journaled, and the page is loaded
    again at that comment (with htmx too: a client redirect)."""
    comment = CommentFactory(contribution=contribution)
    client.force_login(make_user("ditp"))
    prefix = f"moderer-commentaire-{comment.pk}"
    response = client.post(
        _moderate_url(comment),
        {f"{prefix}-act": "hide", f"{prefix}-rule": "injurieux", f"{prefix}-reason": "Injure"},
        headers={"HX-Request": "true"} if htmx else {},
    )
    expected = f"{contribution.get_absolute_url()}#commentaire-{comment.pk}"
    if htmx:
        assert response["HX-Redirect"] == expected
    else:
        assert response.status_code == 302 and response["Location"] == expected
    comment.refresh_from_db()
    assert comment.status == PublicationStatus.HIDDEN
    assert AuditLog.objects.filter(action="contributions.comment.hide").count() == 1
    page = client.get(contribution.get_absolute_url()).content.decode()
    assert "La décision de modération est inscrite au journal." in page


def test_an_inline_act_the_state_refuses_is_said_on_the_form(client, make_user, contribution):
    """« Rétablir » on a published contribution (a stale page): refused in words, no 500."""
    client.force_login(make_user("ditp"))
    prefix = f"moderer-contribution-{contribution.pk}"
    response = client.post(_moderate_url(contribution), {f"{prefix}-act": "restore"})
    assert response.status_code == 200
    assert f'id="resume-erreurs-{prefix}"' in response.content.decode()
