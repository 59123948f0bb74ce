"""Hidden after N reports, statements of reasons, contests and their answers (issue 19,
items 7 and 8)."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from forum_ouvert.core.models import AuditLog
from participation.contributions import services
from participation.contributions.models import (
    ContestOutcome,
    PublicationStatus,
    ReportStatus,
    Statement,
    StatementDecision,
)

from .factories import CommentFactory, ReportFactory

pytestmark = pytest.mark.django_db
QUEUE = "/pilotage/contributions/moderation/"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block queued on commit (the e-mail tasks) when it ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _report(make_user, contribution=None, comment=None, reason="injurieux"):
    return services.report_create(
        reporter=make_user("citoyen"), reason=reason, contribution=contribution, comment=comment
    )


def test_three_distinct_reports_hide_pending_review(client, make_user, contribution, committed):
    """Two reports leave it public; the third hides it with a public notice, audited with no
    actor, and the author gets a statement of reasons by e-mail."""
    _report(make_user, contribution)
    _report(make_user, contribution, reason="spam")
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED
    with committed():
        _report(make_user, contribution, reason="spam")
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.HIDDEN
    html = client.get(contribution.get_absolute_url()).content.decode()
    assert "dans l&#x27;attente d&#x27;un examen" in html or "dans l'attente d'un examen" in html
    assert contribution.body not in html
    entry = AuditLog.objects.get(action="contributions.contribution.auto_hide")
    assert entry.actor is None and entry.changes["reporters"] == 3
    statement = Statement.objects.get()
    assert statement.decision == StatementDecision.AUTO_HIDDEN
    assert statement.rule == "spam"  # the most reported reason
    assert statement.author == contribution.author
    (sent,) = mail.outbox
    assert sent.to == [contribution.author.email]
    assert "Règle concernée : Pas de publicité ni de contenu répété" in sent.body
    assert statement.get_absolute_url() in sent.body


def test_threshold_is_a_setting(settings, make_user, contribution):
    """With the setting at 1, the first report hides the content."""
    settings.MODERATION_REPORT_THRESHOLD = 1
    _report(make_user, contribution)
    contribution.refresh_from_db()
    assert contribution.is_hidden


def test_a_reported_comment_is_hidden_and_recounted(settings, make_user, contribution):
    """A comment reported enough is hidden and no longer counted on its contribution."""
    settings.MODERATION_REPORT_THRESHOLD = 2
    comment = CommentFactory(contribution=contribution)
    contribution.comment_count = 1
    contribution.save()
    _report(make_user, comment=comment)
    _report(make_user, comment=comment)
    comment.refresh_from_db()
    contribution.refresh_from_db()
    assert comment.is_hidden and contribution.comment_count == 0
    assert Statement.objects.get().comment == comment


def test_staff_restore_from_the_queue_tells_the_author(
    client, settings, make_user, contribution, committed
):
    """The auto-hidden item waits in the queue; « Rétablir » publishes it, dismisses the
    reports and closes the statement as restored, with an e-mail to the author."""
    settings.MODERATION_REPORT_THRESHOLD = 1
    _report(make_user, contribution)
    client.force_login(make_user("ditp"))
    assert contribution.title in client.get(QUEUE).content.decode()
    with committed():
        client.post(QUEUE, {"act": "restore", "contributions": [contribution.pk]})
    contribution.refresh_from_db()
    assert contribution.status == PublicationStatus.PUBLISHED
    assert contribution.reports.get().status == ReportStatus.DISMISSED
    assert Statement.objects.get().outcome == ContestOutcome.RESTORED
    assert "votre contenu est rétabli" in mail.outbox[-1].body


def test_staff_confirm_needs_a_rule_and_issues_a_statement(
    client, settings, make_user, contribution
):
    """« Confirmer le masquage » without a rule is refused on its field; with one, the
    reports are upheld and a new statement gives the staff's rule and reason."""
    settings.MODERATION_REPORT_THRESHOLD = 1
    _report(make_user, contribution)
    client.force_login(make_user("ditp"))
    refused = client.post(
        QUEUE, {"act": "confirm", "reason": "Injures", "contributions": [contribution.pk]}
    )
    assert "Choisissez la règle concernée" in refused.content.decode()
    client.post(
        QUEUE,
        {
            "act": "confirm",
            "rule": "injurieux",
            "reason": "Injures",
            "contributions": [contribution.pk],
        },
    )
    contribution.refresh_from_db()
    assert contribution.is_hidden and contribution.moderation_reason == "Injures"
    auto, confirmed = Statement.objects.order_by("id")
    assert auto.outcome == ContestOutcome.UPHELD
    assert (confirmed.decision, confirmed.rule, confirmed.reason) == (
        "masquee",
        "injurieux",
        "Injures",
    )
    assert contribution.reports.get().status == ReportStatus.UPHELD


def _hidden(make_user, contribution):
    services.contribution_moderate(
        actor=make_user("ditp"),
        contribution=contribution,
        act="hide",
        rule="hors_sujet",
        reason="Sans rapport avec la consultation",
    )
    return Statement.objects.get()


def test_author_reads_and_contests_once(client, make_user, contribution):
    """The author sees the statement on their account and contests it once; the contest
    reaches the queue; a second one is refused."""
    statement = _hidden(make_user, contribution)
    client.force_login(contribution.author)
    listing = client.get(reverse("contributions:my_statements")).content.decode()
    assert statement.get_absolute_url() in listing
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Rester dans le sujet de la consultation" in page
    assert "Sans rapport avec la consultation" in page
    refused = client.post(statement.get_absolute_url(), {"text": ""})
    assert refused.status_code == 200 and "Erreur" in refused.content.decode()
    client.post(statement.get_absolute_url(), {"text": "Elle porte sur l'engagement 3."})
    statement.refresh_from_db()
    assert statement.contest_text == "Elle porte sur l'engagement 3."
    assert AuditLog.objects.filter(action="contributions.statement.contest").exists()
    with pytest.raises(ValidationError):
        services.statement_contest(author=contribution.author, statement=statement, text="Encore")
    client.force_login(make_user("ditp"))
    queue = client.get(QUEUE).content.decode()
    assert reverse("contributions:statement_answer", args=[statement.pk]) in queue


def test_someone_else_gets_404(client, make_user, contribution):
    """Another person cannot tell that the statement exists."""
    statement = _hidden(make_user, contribution)
    client.force_login(make_user("citoyen"))
    assert client.get(statement.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("outcome", [ContestOutcome.UPHELD, ContestOutcome.RESTORED])
def test_staff_answer_the_contest(client, make_user, contribution, outcome, committed):
    """Upheld, the content stays hidden; restored, it is published; the author is told."""
    statement = _hidden(make_user, contribution)
    services.statement_contest(author=contribution.author, statement=statement, text="Non")
    client.force_login(make_user("ditp"))
    url = reverse("contributions:statement_answer", args=[statement.pk])
    assert "Expliquez" not in client.get(url).content.decode()
    refused = client.post(url, {"outcome": outcome})
    assert refused.status_code == 200
    with committed():
        client.post(url, {"outcome": outcome, "answer": "Après relecture."})
    statement.refresh_from_db()
    contribution.refresh_from_db()
    assert statement.outcome == outcome and statement.answer == "Après relecture."
    assert contribution.is_hidden == (outcome == ContestOutcome.UPHELD)
    assert "Après relecture." in mail.outbox[-1].body
    assert AuditLog.objects.filter(action="contributions.statement.answer").exists()


def test_queue_queries_with_contests(
    client, make_user, consultation, django_assert_max_num_queries
):
    """The queue's cost does not grow with the number of contests."""
    from .factories import ContributionFactory

    staff = make_user("ditp")
    client.force_login(staff)

    def add(n):
        for _i in range(n):
            c = ContributionFactory(consultation=consultation)
            ReportFactory(contribution=c)
            services.contribution_moderate(
                actor=staff, contribution=c, act="hide", rule="spam", reason="Spam"
            )
            st = Statement.objects.get(contribution=c)
            services.statement_contest(author=c.author, statement=st, text="Non")

    add(2)
    with django_assert_max_num_queries(14) as small:
        client.get(QUEUE)
    add(10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(QUEUE)
