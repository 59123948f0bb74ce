from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from engagements.models import ActionPlan, Commitment
from forum_ouvert.core.forms import BaseForm
from forum_ouvert.core.widgets import DateInput, RadioSelect

from .models import PLAN_DOCUMENT_KINDS, ReportKind


class ReportRequestForm(BaseForm):
    shown_required = ("period_start", "period_end")  # not for a plan's documents
    kind = forms.ChoiceField(label=_("Type de rapport"), choices=ReportKind.choices)
    plan = forms.ModelChoiceField(
        label=_("Plan d'action"), queryset=ActionPlan.objects.order_by("-is_current", "-starts_on")
    )
    commitment = forms.ModelChoiceField(
        label=_("Engagement (pour le rapport d'un engagement)"),
        queryset=Commitment.objects.select_related("plan").order_by("plan", "number"),
        required=False,
    )
    language = forms.ChoiceField(
        label=_("Langue du rapport"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        widget=RadioSelect,
        required=False,  # French when not said
        help_text=_(
            "En anglais, pour les relecteurs du Mécanisme de rapport indépendant (MRI) : "
            "les textes sans traduction restent en français."
        ),
    )
    period_start = forms.DateField(
        label=_("Début de la période"),
        widget=DateInput(),
        help_text=_("Sauf pour le document du plan et le rapport de co-construction."),
    )
    period_end = forms.DateField(
        label=_("Fin de la période"),
        widget=DateInput(),
        help_text=_("Sauf pour le document du plan et le rapport de co-construction."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = ActionPlan.objects.filter(is_current=True).first()
        today = timezone.localdate()
        self.fields["plan"].initial = plan
        self.fields["period_start"].initial = plan.starts_on if plan and plan.starts_on else today
        self.fields["period_end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("kind") in PLAN_DOCUMENT_KINDS:
            # The document of a plan has no period: it is dated the day it is generated.
            data["period_start"] = data["period_end"] = timezone.localdate()
            return data
        for name in ("period_start", "period_end"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, self.fields[name].error_messages["required"])
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("La fin de la période doit suivre son début."))
        if data.get("kind") == ReportKind.COMMITMENT and not data.get("commitment"):
            self.add_error("commitment", _("Choisissez l'engagement du rapport."))
        if end and end > timezone.localdate():
            self.add_error("period_end", _("La période ne peut pas finir dans le futur."))
        return data
