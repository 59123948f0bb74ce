"""Submitted versions of a proposal are history the public relies on: append-only."""

from django.db import migrations

from forum_ouvert.core.db import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("cocreation", "0001_initial")]

    operations = [AppendOnly(table="cocreation_proposalversion")]
