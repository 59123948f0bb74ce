"""The response e-mails already sent move to ``core.MailDelivery`` (keyed as
``contributions.models.response_mail_key`` writes them), so that none is sent twice after
the deploy; then ``ResponseDelivery`` goes."""

from django.db import migrations

PREFIX = "contributions.response:"


def forwards(apps, schema_editor):
    ResponseDelivery = apps.get_model("contributions", "ResponseDelivery")
    MailDelivery = apps.get_model("core", "MailDelivery")
    rows = ResponseDelivery.objects.order_by("id").values_list(
        "response_id", "revision", "recipient_id", "sent_at"
    )
    MailDelivery.objects.bulk_create(
        (
            MailDelivery(
                key=f"{PREFIX}{response_id}:{revision}:{recipient_id}",
                recipient_id=recipient_id,
                sent_at=sent_at,
            )
            for response_id, revision, recipient_id, sent_at in rows.iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


def backwards(apps, schema_editor):
    ResponseDelivery = apps.get_model("contributions", "ResponseDelivery")
    MailDelivery = apps.get_model("core", "MailDelivery")
    Response = apps.get_model("contributions", "Response")
    existing = set(Response.objects.values_list("pk", flat=True))
    rows = []
    for key, recipient_id, sent_at in MailDelivery.objects.filter(
        key__startswith=PREFIX, recipient__isnull=False
    ).values_list("key", "recipient_id", "sent_at"):
        response_id, revision, _user_id = key.removeprefix(PREFIX).split(":")
        if int(response_id) in existing:
            rows.append(
                ResponseDelivery(
                    response_id=int(response_id),
                    revision=int(revision),
                    recipient_id=recipient_id,
                    sent_at=sent_at,
                )
            )
    ResponseDelivery.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    MailDelivery.objects.filter(key__startswith=PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("contributions", "0003_one_line_titles"),
        ("core", "0004_mail_delivery"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="ResponseDelivery"),
    ]
