"""Charts of the plan, drawn on the server (see ``forum_ouvert.core.charts``)."""

from django import template
from django.utils.translation import gettext as _

from forum_ouvert.core.charts import Bar, bar_chart

register = template.Library()

STATUS_COLOURS = {
    "non_commence": "grey",
    "limite": "orange",
    "substantiel": "blue",
    "acheve": "green",
}


@register.simple_tag
def status_chart(status_counts, title=None):
    """Bar chart of commitments by IRM status, from ``[(status, count), …]``."""
    title = title or _("Engagements par état d'avancement")
    bars = [
        Bar(str(status.label), count, STATUS_COLOURS.get(status.value, "blue"))
        for status, count in status_counts
    ]
    return bar_chart(bars, title=title)
