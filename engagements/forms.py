"""Forms of the plan's public filters and of the leads' back-office."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.choices import Role
from forum_ouvert.core.forms import (
    BaseForm,
    BaseModelForm,
    ModelMultipleChoiceField,
    ServiceModelForm,
    WebURLField,
)
from forum_ouvert.core.models import User
from forum_ouvert.core.uploads import PdfField
from forum_ouvert.core.validators import validate_one_line
from forum_ouvert.core.widgets import DateInput

from .models import (
    STAFF_FIELDS,
    ActionPlan,
    Axis,
    Commitment,
    CommitmentStatus,
    Institution,
    Milestone,
    MilestoneStatus,
    OgpValue,
)

JUSTIFICATION_HELP = _("Obligatoire et publique : elle apparaît dans l'historique de l'engagement.")


def justification_field() -> forms.CharField:
    return forms.CharField(
        label=_("Justification du changement"),
        help_text=JUSTIFICATION_HELP,
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Expliquez ce changement en une phrase."),
            "min_length": _("Expliquez ce changement en une phrase (10 caractères au moins)."),
        },
    )


class CommitmentFilterForm(BaseForm):
    """The public list's filters (GET): they work as plain links and with htmx."""

    q = forms.CharField(label=_("Rechercher"), required=False, max_length=200)
    axis = forms.ModelChoiceField(
        label=_("Axe"), queryset=Axis.objects.none(), required=False, empty_label=_("Tous les axes")
    )
    status = forms.ChoiceField(
        label=_("État d'avancement"),
        required=False,
        choices=[
            ("", _("Tous les états")),
            *CommitmentStatus.choices,
            ("en_retard", _("En retard")),
        ],
    )
    lead = forms.ModelChoiceField(
        label=_("Institution pilote"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("Toutes les institutions"),
    )
    value = forms.ChoiceField(
        label=_("Valeur OGP"),
        required=False,
        choices=[("", _("Toutes les valeurs")), *OgpValue.choices],
    )

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import axis_choices, lead_institutions

        if plan is not None:
            self.fields["axis"].queryset = axis_choices(plan=plan)
            self.fields["lead"].queryset = lead_institutions(plan=plan)

    def filters(self) -> dict:
        """The valid filters; invalid values are ignored (a shared link never errors)."""
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors and v}
        return {k: v for k, v in self.cleaned_data.items() if v}


class ProgressForm(BaseForm):
    """A lead's point d'étape: status and progress, with the public justification."""

    status = forms.ChoiceField(label=_("État d'avancement"), choices=CommitmentStatus.choices)
    progress = forms.IntegerField(
        label=_("Avancement (%)"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("L'avancement est un pourcentage entre 0 et 100."),
            "max_value": _("L'avancement est un pourcentage entre 0 et 100."),
            "invalid": _("Saisissez un nombre entier entre 0 et 100."),
        },
    )
    correction = forms.BooleanField(
        label=_("Correction : l'état publié était erroné"),
        help_text=_(
            "Permet de passer directement à n'importe quel état. L'historique public "
            "l'indique comme une correction ; la justification en donne la raison."
        ),
        required=False,
    )
    justification = justification_field()


class CommitmentTextsForm(BaseModelForm):
    """DITP staff: the OGP template's texts and metadata."""

    justification = justification_field()

    class Meta:
        model = Commitment
        # The staff fields but the state (``ProgressForm``) and the policy areas, which no
        # back-office form edits.
        fields = [f for f in STAFF_FIELDS if f not in ("status", "progress", "policy_areas")]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "problem_en": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "how_it_helps": forms.Textarea(attrs={"rows": 4}),
            "how_it_helps_en": forms.Textarea(attrs={"rows": 4}),
            "why_relevant": forms.Textarea(attrs={"rows": 4}),
            "why_relevant_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["axis"].queryset = Axis.objects.filter(plan=self.instance.plan_id).order_by(
            "number"
        )


class LeadsForm(BaseForm):
    leads = ModelMultipleChoiceField(
        label=_("Comptes pilotes"),
        queryset=User.objects.filter(role=Role.LEAD, is_active=True).order_by(
            "display_name", "email"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    justification = justification_field()


class MilestoneForm(ServiceModelForm):
    justification = justification_field()

    class Meta:
        model = Milestone
        fields = [
            "deliverable",
            "deliverable_en",
            "expected_result",
            "starts_on",
            "ends_on",
            "status",
            "reached_on",
        ]
        widgets = {
            "deliverable": forms.Textarea(attrs={"rows": 2}),
            "deliverable_en": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "reached_on": DateInput(),
        }
        help_texts = {
            "reached_on": _("Seulement pour un jalon atteint (par défaut : aujourd'hui).")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = MilestoneStatus.PLANNED


class EvidenceForm(BaseForm):
    title = forms.CharField(label=_("Titre"), max_length=255, validators=[validate_one_line])
    title_en = forms.CharField(
        label=_("Titre (anglais)"),
        max_length=255,
        required=False,
        validators=[validate_one_line],
        help_text=_("Facultatif : sans lui, la version anglaise montre le titre français."),
    )
    dated_on = forms.DateField(label=_("Date du justificatif"), widget=DateInput())
    milestone = forms.ModelChoiceField(
        label=_("Jalon concerné"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("— L'engagement dans son ensemble —"),
    )
    document = PdfField(
        label=_("Document PDF"),
        required=False,
        help_text=_("PDF de 10 Mo au plus."),
    )
    url = WebURLField(
        label=_("ou lien"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Adresse d'une page publique (https://…)."),
    )
    is_public = forms.BooleanField(
        label=_("Publier dans le dépôt public"),
        required=False,
        initial=True,
    )
    justification = justification_field()

    def __init__(self, *args, commitment: Commitment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["milestone"].queryset = commitment.milestones.order_by("order", "id")

    def clean(self):
        data = super().clean()
        refused = "document" in self.errors or "url" in self.errors
        if bool(data.get("document")) == bool(data.get("url")) and not refused:
            raise forms.ValidationError(
                _("Joignez soit un document PDF, soit un lien (l'un ou l'autre).")
            )
        return data


class PlanForm(BaseModelForm):
    class Meta:
        model = ActionPlan
        fields = [
            "title",
            "title_en",
            "slug",
            "summary",
            "status",
            "is_current",
            "ogp_cycle",
            "coordinator",
            "launched_on",
            "starts_on",
            "ends_on",
        ]
        widgets = {"launched_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput()}
        help_texts = {
            "status": _(
                "Passer un plan en co-construction à « En cours de mise en œuvre » le publie : "
                "le plan et le rapport de sa co-construction sont alors générés en PDF, puis "
                "vous les publiez depuis cette page."
            )
        }


class AxisForm(BaseModelForm):
    class Meta:
        model = Axis
        fields = ["number", "title", "title_en"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "title_en": forms.Textarea(attrs={"rows": 2}),
        }


class RepositoryFilterForm(BaseForm):
    commitment = forms.ModelChoiceField(
        label=_("Engagement"),
        queryset=Commitment.objects.none(),
        required=False,
        empty_label=_("Tous les engagements"),
    )
    start = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    end = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commitment"].queryset = Commitment.objects.filter(plan=plan).order_by("number")

    def filters(self) -> dict:
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v and k not in self.errors}


class BulkUploadForm(BaseForm):
    """The spreadsheet of a bulk progress update (``engagements.bulk``): read and checked
    here (type, encoding, size, columns), its rows previewed by the view."""

    fichier = forms.FileField(
        label=_("Fichier CSV ou XLSX"),
        help_text=_(
            "CSV (UTF-8, séparateur « ; » ou « , ») ou XLSX, 2 Mo et 2 000 lignes au plus."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
        error_messages={
            "required": _("Choisissez le fichier à déposer."),
            "empty": _("Le fichier est vide."),
        },
    )

    def clean_fichier(self):
        from forum_ouvert.core.spreadsheet import SpreadsheetError, read_table

        from .bulk import COLUMNS, REQUIRED

        upload = self.cleaned_data["fichier"]
        try:
            self.table = read_table(upload, columns=list(COLUMNS), required=REQUIRED)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


class BulkConfirmForm(BaseForm):
    """« Appliquer ces changements »: the kept file travels as a signed token."""

    jeton = forms.CharField(widget=forms.HiddenInput, max_length=500)


class EvidenceEditForm(BaseForm):
    """The back-office's change of an evidence's title or visibility."""

    title = forms.CharField(label=_("Titre"), max_length=255, validators=[validate_one_line])
    is_public = forms.BooleanField(label=_("Publier dans le dépôt public"), required=False)
    justification = justification_field()


class EvidenceWithdrawForm(BaseForm):
    """Withdraw an evidence: the reason is public (in the commitment's history)."""

    reason = forms.CharField(
        label=_("Motif du retrait"),
        help_text=_(
            "Obligatoire et publique pour un justificatif public : elle apparaît dans "
            "l'historique de l'engagement. Le document reste conservé."
        ),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Expliquez ce retrait en une phrase."),
            "min_length": _("Expliquez ce retrait en une phrase (10 caractères au moins)."),
        },
    )


class EvidenceReplaceForm(BaseForm):
    """A new version of an evidence's document or link; the old one is kept."""

    document = PdfField(
        label=_("Nouveau document PDF"), required=False, help_text=_("PDF de 10 Mo au plus.")
    )
    url = WebURLField(
        label=_("ou nouveau lien"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("Adresse d'une page publique (https://…)."),
    )
    dated_on = forms.DateField(
        label=_("Date de la nouvelle version"),
        required=False,
        widget=DateInput(),
        help_text=_("Vide : la date du justificatif remplacé."),
    )
    justification = justification_field()

    def clean(self):
        data = super().clean()
        refused = "document" in self.errors or "url" in self.errors
        if bool(data.get("document")) == bool(data.get("url")) and not refused:
            raise forms.ValidationError(
                _("Joignez soit un document PDF, soit un lien (l'un ou l'autre).")
            )
        return data
