"""Notifications: one service, a centre in the header and a page, settings per kind, the
daily digest, and the e-mails' one-click unsubscribe link."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum_ouvert.core import notifications
from forum_ouvert.core.models import MailDelivery, Notification, NotificationSetting
from participation.contributions import services
from tests.contributions.factories import CommentFactory, ContributionFactory

pytestmark = pytest.mark.django_db

Kind = notifications.Kind


@pytest.fixture
def contribution(make_user):
    return ContributionFactory(author=make_user("citoyen"))


def _run(callbacks):
    for callback in callbacks:
        callback()


def test_a_comment_notifies_the_author_and_emails_once(
    make_user, contribution, django_capture_on_commit_callbacks
):
    """The author sees « Nouveau commentaire » in the centre and gets one e-mail with a
    one-click unsubscribe link and the RFC 8058 headers."""
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=make_user("citoyen"), contribution=contribution, body="Oui.")
    notification = Notification.objects.get(recipient=contribution.author)
    assert notification.kind == Kind.COMMENT
    assert contribution.title in notification.message
    assert notification.url.startswith(contribution.get_absolute_url())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contribution.author.email]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body
    # A second run of the task sends nothing more.
    notifications.notification_mail_send(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_own_comment_notifies_nobody(contribution, django_capture_on_commit_callbacks):
    """Commenting on one's own contribution tells nobody."""
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=contribution.author, contribution=contribution, body="Moi.")
    assert not Notification.objects.exists() and mail.outbox == []


def test_a_reply_notifies_the_comment_author_too(make_user, contribution):
    """A reply tells the contribution's author and the author of the comment it answers."""
    parent = CommentFactory(contribution=contribution, author=make_user("citoyen"))
    services.comment_post(
        author=make_user("citoyen"), contribution=contribution, body="Oui.", parent=parent
    )
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        contribution.author_id,
        parent.author_id,
    }


def test_supports_are_grouped_per_day_and_never_emailed_one_by_one(
    make_user, contribution, django_capture_on_commit_callbacks
):
    """Three supports make one notification « 3 nouveaux soutiens » and no e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(3):
            services.support_add(user=make_user("citoyen"), contribution=contribution)
    notification = Notification.objects.get()
    assert notification.count == 3
    assert notification.message.startswith("3 nouveaux soutiens")
    assert mail.outbox == []


def _unread(user) -> int:
    return notifications.unread_count(user)


def test_a_withdrawn_support_counts_one_less_and_none_left_removes_it(make_user, contribution):
    """Two supports then one withdrawn: « 1 nouveau soutien », still unread; the second
    withdrawn, the notification is gone and the header's count with it (issue 19)."""
    first, second = make_user("citoyen"), make_user("citoyen")
    for user in (first, second):
        services.support_add(user=user, contribution=contribution)
    assert _unread(contribution.author) == 1
    assert services.support_remove(user=first, contribution=contribution)
    notification = Notification.objects.get()
    assert (notification.count, notification.read_at) == (1, None)
    assert notification.message.startswith("1 nouveau soutien à")
    assert _unread(contribution.author) == 1
    assert services.support_remove(user=second, contribution=contribution)
    assert not Notification.objects.exists()
    assert _unread(contribution.author) == 0
    assert not services.support_remove(user=second, contribution=contribution)  # no support
    assert _unread(contribution.author) == 0


def test_a_withdrawn_support_leaves_a_read_notification_read(make_user, contribution):
    """Read « 2 nouveaux soutiens », one withdrawn: « 1 nouveau soutien », still read, the
    header's count unchanged; the last withdrawn, the read row goes and the count stays 0."""
    supporters = [make_user("citoyen"), make_user("citoyen")]
    for user in supporters:
        services.support_add(user=user, contribution=contribution)
    notifications.notifications_mark_all_read(user=contribution.author)
    read_at = Notification.objects.get().read_at
    services.support_remove(user=supporters[0], contribution=contribution)
    notification = Notification.objects.get()
    assert (notification.count, notification.read_at) == (1, read_at)
    assert _unread(contribution.author) == 0
    services.support_remove(user=supporters[1], contribution=contribution)
    assert not Notification.objects.exists()
    assert _unread(contribution.author) == 0


def test_a_support_withdrawn_another_day_counts_down_its_own_day(make_user, contribution):
    """A support given yesterday and withdrawn today lowers yesterday's notification, not
    today's, and leaves its date alone (yesterday's digest keeps it)."""
    old, new = make_user("citoyen"), make_user("citoyen")
    yesterday = timezone.now() - dt.timedelta(days=1)
    services.support_add(user=old, contribution=contribution)
    services.support_add(user=make_user("citoyen"), contribution=contribution)
    Notification.objects.update(created_at=yesterday, updated_at=yesterday)
    day = timezone.localdate(yesterday)
    Notification.objects.update(group_key=Notification.objects.get().group_key[:-10] + str(day))
    contribution.supports.filter(user=old).update(created_at=yesterday)
    services.support_add(user=new, contribution=contribution)
    services.support_remove(user=old, contribution=contribution)
    today = timezone.localdate()
    rows = {timezone.localdate(n.created_at) == today: n for n in Notification.objects.all()}
    assert rows[False].count == 1 and rows[False].updated_at == yesterday
    assert rows[True].count == 1
    assert _unread(contribution.author) == 2


def test_withdrawing_rolls_back_with_the_notification(make_user, contribution):
    """In the withdrawal's transaction: when it fails, the count is as it was."""
    from django.db import transaction

    user = make_user("citoyen")
    services.support_add(user=user, contribution=contribution)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.support_remove(user=user, contribution=contribution)
        raise RuntimeError
    assert Notification.objects.get().count == 1
    assert _unread(contribution.author) == 1


def test_supports_cannot_be_set_to_immediate(make_user):
    """The database refuses « immédiatement » for supports."""
    with pytest.raises(ValueError):
        notifications.settings_save(
            user=make_user("citoyen"), choices={Kind.SUPPORT: notifications.Delivery.IMMEDIATE}
        )
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationSetting.objects.create(
            user=make_user("citoyen"), kind=Kind.SUPPORT, delivery="immediat"
        )


def test_site_only_setting_sends_no_email(
    make_user, contribution, django_capture_on_commit_callbacks
):
    """With « seulement sur le site », the notification is there and no e-mail goes out."""
    notifications.settings_save(
        user=contribution.author, choices={Kind.COMMENT: notifications.Delivery.SITE}
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_post(author=make_user("citoyen"), contribution=contribution, body="Oui.")
    assert Notification.objects.filter(recipient=contribution.author).exists()
    assert mail.outbox == []


def test_the_digest_is_sent_once_per_person_and_day(
    make_user, contribution, django_capture_on_commit_callbacks
):
    """Yesterday's supports reach the author in one digest; running it twice sends one."""
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(2):
            services.support_add(user=make_user("citoyen"), contribution=contribution)
    yesterday = timezone.now() - dt.timedelta(days=1)
    Notification.objects.update(created_at=yesterday, updated_at=yesterday)
    for _run_twice in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications.digests_queue() == 1
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == [contribution.author.email]
    assert "2 nouveaux soutiens" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    day = timezone.localdate(yesterday)
    assert MailDelivery.objects.filter(
        key=notifications.digest_key(user_id=contribution.author_id, day=day)
    ).exists()


def test_unsubscribe_link_asks_on_get_and_acts_on_post(client, make_user, contribution):
    """A mail scanner's GET changes nothing; the button (POST, no login) stops the e-mails."""
    url = reverse(
        "core:unsubscribe",
        kwargs={"token": notifications.unsubscribe_token(contribution.author, kind=Kind.COMMENT)},
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "e-mail pour : Un commentaire sur ma contribution" in response.text
    assert notifications.delivery_for(contribution.author, Kind.COMMENT) == "immediat"
    response = client.post(url)  # RFC 8058 one-click: no CSRF token, no session
    assert response.status_code == 200
    assert notifications.delivery_for(contribution.author, Kind.COMMENT) == "site"


def test_unsubscribe_link_unfollows(client, make_user, contribution):
    """The link of a followed contribution's e-mail stops following it."""
    follower = make_user("citoyen")
    notifications.follow_toggle(user=follower, target=contribution)
    token = notifications.unsubscribe_token(follower, follow=contribution)
    url = reverse("core:unsubscribe", kwargs={"token": token})
    assert contribution.title in client.get(url).text
    assert notifications.is_following(follower, contribution)
    client.post(url)
    assert not notifications.is_following(follower, contribution)


def test_forged_or_expired_unsubscribe_link_is_refused(client, make_user, contribution):
    """A tampered or expired link is a 404 page that changes nothing."""
    token = notifications.unsubscribe_token(contribution.author, kind=Kind.COMMENT)
    assert client.post(reverse("core:unsubscribe", args=[token + "x"])).status_code == 404
    later = timezone.now() + notifications.UNSUBSCRIBE_MAX_AGE + dt.timedelta(days=1)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.post(reverse("core:unsubscribe", args=[token])).status_code == 404
    assert notifications.delivery_for(contribution.author, Kind.COMMENT) == "immediat"


def _notify(user, target, n=1):
    for i in range(n):
        notifications.notify(
            recipient=user, kind=Kind.COMMENT, target=target, message=f"Message {i}", email=False
        )


def test_header_counts_unread_for_logged_in_people_only(client, make_user, contribution):
    """The header says « Notifications : 2 non lues » to screen readers; anonymous pages
    never count (nor read the table)."""
    _notify(contribution.author, contribution, 2)
    home = client.get("/")
    assert "non lue" not in home.text
    client.force_login(contribution.author)
    home = client.get("/")
    assert "2 non lues" in home.text
    assert 'class="fr-sr-only"> : 2 non lues' in home.text


def test_mark_one_and_all_read(client, make_user, contribution):
    """« Marquer comme lue » and « Tout marquer comme lu » work without JavaScript."""
    _notify(contribution.author, contribution, 3)
    client.force_login(contribution.author)
    first = Notification.objects.order_by("id").first()
    response = client.post(reverse("core:notification_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.is_read
    assert "2 notifications non lues" in client.get(reverse("core:notifications")).text
    client.post(reverse("core:notification_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_htmx_mark_read_swaps_the_item_and_updates_the_header_count(
    client, make_user, contribution
):
    """With htmx the item is swapped and the header's count comes out of band."""
    _notify(contribution.author, contribution, 2)
    client.force_login(contribution.author)
    first = Notification.objects.order_by("id").first()
    response = client.post(
        reverse("core:notification_read", args=[first.pk]),
        headers={"HX-Request": "true", "HX-Target": f"notification-{first.pk}"},
    )
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in response.text
    assert "Marquer comme lue" not in response.text
    assert 'data-hx-swap-oob="outerHTML:.fo-notif-count"' in response.text
    assert ": 1 non lue" in response.text


def test_someone_elses_notification_looks_missing(client, make_user, contribution):
    """Marking another person's notification read is a 404 and changes nothing."""
    _notify(contribution.author, contribution)
    client.force_login(make_user("citoyen"))
    notification = Notification.objects.get()
    assert client.post(reverse("core:notification_read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_list_and_header_queries_stay_constant(
    client, make_user, contribution, django_assert_max_num_queries
):
    """The page and its header read the same number of queries for 2 or 30 notifications."""
    client.force_login(contribution.author)
    _notify(contribution.author, contribution, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("core:notifications"))
    _notify(contribution.author, contribution, 28)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("core:notifications"))
    assert response.text.count('class="fr-py-2w fo-notification') == 30


def test_settings_page_saves_each_kind(client, make_user):
    """« Réglages des notifications » records each kind's choice; a bad value re-displays."""
    user = make_user("citoyen")
    client.force_login(user)
    url = reverse("core:notification_settings")
    assert client.get(url).status_code == 200
    data = dict(notifications.settings_for(user)) | {Kind.RESPONSE: "resume"}
    assert client.post(url, data).status_code == 302
    assert notifications.delivery_for(user, Kind.RESPONSE) == "resume"
    refused = client.post(url, data | {Kind.SUPPORT: "immediat"})
    assert refused.status_code == 400
    assert "Erreur" in refused.text


def test_deleting_the_account_erases_notifications_settings_and_follows(make_user, contribution):
    """A deleted account keeps no notification, setting nor follow."""
    from forum_ouvert.core.models import Subscription
    from forum_ouvert.portal.services import account_delete

    user = contribution.author
    _notify(user, contribution)
    notifications.settings_save(user=user, choices={Kind.COMMENT: "site"})
    notifications.follow_toggle(user=user, target=contribution.consultation)
    account_delete(user=user)
    assert not Notification.objects.filter(recipient=user).exists()
    assert not NotificationSetting.objects.filter(user=user).exists()
    assert not Subscription.objects.filter(user=user).exists()
