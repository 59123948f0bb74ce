"""The public journal cannot be rewritten: UPDATE and DELETE fail in the database."""

from django.db import migrations

from forum_ouvert.core.db import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("engagements", "0001_initial")]

    operations = [AppendOnly(table="engagements_journalentry")]
