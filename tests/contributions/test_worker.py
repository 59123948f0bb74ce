"""The response e-mail task through a real worker: sent once even when delivered twice."""

import pytest

from forum_ouvert.core.models import MailDelivery
from participation.contributions.models import response_mail_key
from participation.contributions.tasks import notify_response

from .factories import ContributionFactory, ResponseFactory, SupportFactory


@pytest.mark.celery_worker
def test_task_delivered_twice_sends_once(celery_worker_process, settings, make_user):
    """Two deliveries of the same task to a worker process record one e-mail per person."""
    from forum_ouvert.celery import app

    contribution = ContributionFactory()
    SupportFactory(contribution=contribution)
    response = ResponseFactory(contribution=contribution, author=make_user("ditp"))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        args = [response.pk, response.revision]
        first = notify_response.apply_async(args=args, queue=celery_worker_process)
        assert first.get(timeout=30) == 2
        second = notify_response.apply_async(args=args, queue=celery_worker_process)
        assert second.get(timeout=30) == 0
    finally:
        app.conf.task_always_eager = True
    assert sorted(
        MailDelivery.objects.filter(
            key__startswith=f"contributions.response:{response.pk}:"
        ).values_list("key", flat=True)
    ) == sorted(
        response_mail_key(response_id=response.pk, revision=response.revision, user_id=user.pk)
        for user in (contribution.author, contribution.supports.get().user)
    )
