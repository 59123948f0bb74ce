"""Institutions once each, with a short name: the rows that named one institution in two
ways (« CESE » and « Conseil économique, social et environnemental (CESE) ») are merged
into the long name's row, their commitments moved over (issue 22)."""

from django.db import migrations, models
from django.utils.text import slugify

# A copy of engagements.institutions as it was when this migration was written.
KNOWN = [
    ("CESE", "Conseil économique, social et environnemental (CESE)"),
    ("DITP", "Direction interministérielle de la transformation publique (DITP)"),
    ("DINUM", "Direction interministérielle du numérique (DINUM)"),
    ("ANCT", "Agence nationale de la cohésion des territoires (ANCT)"),
    ("CNNum", "Conseil national du numérique (CNNum)"),
    ("AEFE", "Agence pour l'enseignement français à l'étranger (AEFE)"),
]
ALIASES = {
    "DITP (département Innovation)": "Direction interministérielle de la transformation "
    "publique (DITP)",
}


def merge(apps, schema_editor):
    Institution = apps.get_model("engagements", "Institution")
    for short, long in KNOWN:
        names = [short, long, *(a for a, target in ALIASES.items() if target == long)]
        rows = list(Institution.objects.filter(name__in=names).order_by("id"))
        if not rows:
            continue
        keep = next((r for r in rows if r.name == long), rows[0])
        for row in rows:
            if row.pk == keep.pk:
                continue
            for commitment in row.led_commitments.all():
                commitment.lead_institutions.add(keep)
            for commitment in row.supported_commitments.all():
                commitment.supporting_institutions.add(keep)
            row.delete()
        keep.name, keep.short_name = long, short
        if not keep.slug or keep.slug == slugify(short):
            keep.slug = slugify(long)[:100]
        keep.save()


class Migration(migrations.Migration):
    dependencies = [("engagements", "0007_public_web_urls")]

    operations = [
        migrations.AddField(
            model_name="institution",
            name="short_name",
            field=models.CharField(blank=True, max_length=40, verbose_name="sigle"),
        ),
        migrations.RunPython(merge, migrations.RunPython.noop),
    ]
