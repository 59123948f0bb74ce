"""The follower e-mails already sent move to ``core.MailDelivery`` (keyed as
``engagements.notifications.follower_notice_key`` writes them), so that none is sent twice
after the deploy; then ``FollowerNotice`` goes."""

from django.db import migrations

PREFIX = "engagements.follower_notice:"


def forwards(apps, schema_editor):
    FollowerNotice = apps.get_model("engagements", "FollowerNotice")
    MailDelivery = apps.get_model("core", "MailDelivery")
    rows = FollowerNotice.objects.order_by("id").values_list("entry_id", "user_id", "sent_at")
    MailDelivery.objects.bulk_create(
        (
            MailDelivery(key=f"{PREFIX}{entry_id}:{user_id}", recipient_id=user_id, sent_at=sent_at)
            for entry_id, user_id, sent_at in rows.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    FollowerNotice = apps.get_model("engagements", "FollowerNotice")
    MailDelivery = apps.get_model("core", "MailDelivery")
    JournalEntry = apps.get_model("engagements", "JournalEntry")
    existing = set(JournalEntry.objects.values_list("pk", flat=True))
    rows = []
    for key, sent_at in MailDelivery.objects.filter(key__startswith=PREFIX).values_list(
        "key", "sent_at"
    ):
        entry_id, user_id = (int(part) for part in key.removeprefix(PREFIX).split(":"))
        if entry_id in existing:
            rows.append(FollowerNotice(entry_id=entry_id, user_id=user_id, sent_at=sent_at))
    FollowerNotice.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    MailDelivery.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("engagements", "0005_one_line_titles"),
        ("core", "0004_mail_delivery"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="FollowerNotice"),
    ]
