"""Forms of the workshops: the public filters, registration, and the staff's forms."""

from __future__ import annotations

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from engagements.models import Commitment
from forum_ouvert.core.forms import (
    BaseForm,
    BaseModelForm,
    ModelMultipleChoiceField,
    ServiceModelForm,
)
from forum_ouvert.core.models import Departement, Region
from forum_ouvert.core.uploads import PdfField
from forum_ouvert.core.widgets import DateInput, DateTimeInput, FastSelect

from .models import WORKSHOP_FIELDS, Audience, Tour, TourStop, Workshop, WorkshopFormat
from .selectors import WorkshopFilters

PERIODS = [
    ("a_venir", _("À venir")),
    ("passes", _("Passés")),
    ("tous", _("Tous")),
]


def _commitments():
    return Commitment.objects.filter(plan__is_current=True).order_by("number")


class CommitmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.display_title}"[:120]


class CommitmentMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.display_title}"


class WorkshopFilterForm(BaseForm):
    """The filters of /ateliers/ (a GET form: its state lives in the URL)."""

    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("Tous les départements"),
        widget=FastSelect,
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("Toutes les régions"),
        widget=FastSelect,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Tous les formats")), *WorkshopFormat.choices],
        required=False,
        widget=FastSelect,
    )
    public = forms.ChoiceField(
        label=_("Public"),
        choices=[("", _("Tous les publics")), *Audience.choices],
        required=False,
        widget=FastSelect,
    )
    engagement = CommitmentChoiceField(
        label=_("Engagement"),
        queryset=_commitments(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les engagements"),
        widget=FastSelect,
    )
    du = forms.DateField(label=_("À partir du"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Jusqu'au"), required=False, widget=DateInput())
    periode = forms.ChoiceField(
        label=_("Période"), choices=PERIODS, required=False, widget=FastSelect
    )

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return data

    def filters(self) -> WorkshopFilters:
        """The valid filters (an invalid field is ignored, and its error shown)."""
        if not self.is_bound:
            return WorkshopFilters()
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return WorkshopFilters(
            departement=data.get("departement"),
            region=data.get("region"),
            format=data.get("format") or "",
            audience=data.get("public") or "",
            commitment=data.get("engagement"),
            date_from=data.get("du"),
            date_to=data.get("au"),
            period=data.get("periode") or "a_venir",
        )


class RegistrationForm(BaseForm):
    accessibility_need = forms.CharField(
        label=_("Un besoin d'accessibilité ?"),
        help_text=_(
            "Par exemple : interprète en langue des signes, place pour fauteuil roulant, "
            "documents en gros caractères. Seule l'équipe organisatrice le lira."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    mandate = forms.CharField(
        label=_("Vous êtes élu·e local·e ? Votre mandat"),
        help_text=_("Par exemple : conseillère municipale de Villeurbanne."),
        max_length=200,
        required=False,
    )


class WorkshopForm(ServiceModelForm):
    """Create or edit a workshop (staff); saving goes through the services."""

    commitments = CommitmentMultipleChoiceField(
        label=_("Engagements concernés"),
        queryset=_commitments(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Workshop
        fields = [*WORKSHOP_FIELDS[:2], "commitments", *WORKSHOP_FIELDS[2:]]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_opens_at": DateTimeInput(),
            "registration_closes_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 6}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.order_by("code")
        self.fields["tour_stop"].queryset = TourStop.objects.select_related("tour").order_by(
            "-date"
        )
        self.fields["capacity"].validators.append(MinValueValidator(1))
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("La fin de l'atelier doit suivre son début."))
        return data


class WorkshopCancelForm(BaseForm):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        help_text=_("Il figure dans l'e-mail envoyé à chaque personne inscrite."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class OutcomeForm(BaseForm):
    text = forms.CharField(
        label=_("Compte rendu"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    document = PdfField(
        label=_("Compte rendu en PDF"),
        help_text=_("Facultatif. Un document PDF de 10 Mo au plus."),
        required=False,
    )
    commitments = CommitmentMultipleChoiceField(
        label=_("Engagements que cet atelier éclaire"),
        queryset=_commitments(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.has_document = has_document

    def clean(self):
        data = super().clean()
        empty = not (data.get("text") or "").strip() and not data.get("document")
        if empty and not self.has_document:
            raise forms.ValidationError(
                _("Rédigez le compte rendu ou joignez-le en PDF (ou les deux).")
            )
        return data


class TourForm(BaseModelForm):
    class Meta:
        model = Tour
        fields = ["title", "description", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput(), "ends_on": DateInput()}


class TourStopForm(BaseModelForm):
    class Meta:
        model = TourStop
        fields = ["tour", "date", "city", "departement", "programme", "summary"]
        widgets = {
            "date": DateInput(),
            "programme": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.order_by("code")
        self.fields["tour"].queryset = Tour.objects.order_by("-starts_on", "-id")
