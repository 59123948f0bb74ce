"""Forms of the Forum ouvert: thin, DSFR-rendered; the services hold the rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from forum_ouvert.core.forms import BaseForm, BaseModelForm, ModelMultipleChoiceField
from forum_ouvert.core.models import Departement
from forum_ouvert.core.uploads import KeptFileInput, PdfField, validate_pdf_upload
from forum_ouvert.core.validators import normalise_phone
from forum_ouvert.core.widgets import (
    CheckboxSelectMultiple,
    DateTimeInput,
    FastSelect,
    RadioSelect,
)

from .identifiers import normalise_rna, normalise_siret
from .models import (
    DECISIONS,
    MAX_ATTACHMENTS,
    Application,
    ApplicationStatus,
    Call,
    College,
    Criterion,
    Meeting,
    Member,
)
from .selectors.review import SORTS, reviewers
from .services.applications import APPLICATION_FIELDS, DECLARATIONS, REQUIRED_TO_SUBMIT


class MultiplePdfInput(KeptFileInput):
    """Several PDFs in one input, kept across a refused form (``core.uploads``)."""

    def __init__(self, attrs=None):
        super().__init__(attrs, multiple=True)


class MultiplePdfField(forms.FileField):
    """Several PDFs in one input, each checked by content (``core.uploads``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePdfInput(attrs={"accept": "application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        cleaned = [super(MultiplePdfField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            try:
                validate_pdf_upload(upload)
            except ValidationError as exc:
                raise ValidationError(f"« {upload.name[:80]} » : {exc.messages[0]}") from exc
        return cleaned


def _upload_widget(field: forms.Field) -> None:
    field.widget.attrs["class"] = "fr-upload"
    field.widget.group_class = "fr-upload-group"


class ApplicationForm(BaseModelForm):
    """The application, as a draft (only the name required) or to submit (all of it)."""

    # Longer than the stored values: people type spaces, which the cleaning removes.
    rna_number = forms.CharField(
        label=_("Numéro RNA"),
        max_length=20,
        required=False,
        help_text=_("Pour une association : W suivi de 9 chiffres, par exemple W751234567."),
    )
    siret = forms.CharField(
        label=_("Numéro SIRET"),
        max_length=24,
        required=False,
        help_text=_("14 chiffres, les espaces sont acceptés."),
    )
    attachments = MultiplePdfField(
        label=_("Pièces jointes"),
        required=False,
        help_text=_(
            "PDF uniquement, 10 Mo au plus chacun, trois pièces au total (statuts, "
            "rapport d'activité, lettre de soutien…)."
        ),
    )

    class Meta:
        model = Application
        fields = list(APPLICATION_FIELDS)
        labels = {
            "organisation_name": _("Nom de l'organisation"),
            "legal_form": _("Forme juridique"),
            "departement": _("Département du siège"),
            "website": _("Site web"),
            "contact_name": _("Personne à contacter"),
            "contact_email": _("Adresse e-mail de contact"),
            "contact_phone": _("Téléphone"),
            "college": _("Collège demandé"),
            "motivation": _("Motivation"),
            "experience": _("Expérience de la participation et du gouvernement ouvert"),
            "accepts_accuracy": _(
                "Je certifie sur l'honneur l'exactitude des informations fournies et être "
                "habilité·e à représenter cette organisation."
            ),
            "accepts_privacy": _(
                "J'ai lu la notice sur le traitement des données personnelles de l'appel."
            ),
        }
        help_texts = {
            "rna_number": _(
                "Pour une association : W suivi de 9 chiffres, par exemple W751234567."
            ),
            "siret": _("14 chiffres, les espaces sont acceptés."),
            "website": _("Adresse complète, par exemple https://www.exemple.fr"),
            "motivation": _("Pourquoi votre organisation souhaite rejoindre le Forum ouvert."),
            "experience": _(
                "Démarches participatives, concertations, travaux sur la transparence ou "
                "l'ouverture des données auxquels vous avez pris part."
            ),
        }
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 6}),
            "experience": forms.Textarea(attrs={"rows": 6}),
            "website": forms.URLInput(attrs={"placeholder": "https://"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel"}),
            # A hundred départements: one template for all the options, not one each.
            "departement": FastSelect,
        }

    def __init__(
        self, *args, call: Call, submitting: bool = False, attachment_count: int = 0, **kw
    ):
        super().__init__(*args, **kw)
        self.call = call
        self.attachment_count = attachment_count
        self.fields["college"].queryset = College.objects.filter(call=call).order_by(
            "order", "name"
        )
        self.fields["college"].empty_label = _("— Choisissez un collège —")
        self.fields["departement"].queryset = Departement.objects.order_by("code")
        self.fields["departement"].empty_label = _("— Choisissez un département —")
        self.fields["legal_form"].choices = [
            ("", _("— Choisissez —")),
            *self.fields["legal_form"].choices[1:],
        ]
        self.fields["contact_name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        _upload_widget(self.fields["attachments"])
        remaining = MAX_ATTACHMENTS - attachment_count
        if remaining <= 0:
            self.fields["attachments"].help_text = _(
                "Vous avez déjà joint trois pièces : retirez-en une pour en ajouter une autre."
            )
        required = (*REQUIRED_TO_SUBMIT, *DECLARATIONS)
        if submitting:
            for name in required:
                self.fields[name].required = True
        else:
            # A draft is validated with only the name required, and shown as a fresh form
            # is: with what submitting will require (no « (Optionnel) » on the declarations).
            self.shown_required = required
            self._show_required(True)

    def clean_contact_phone(self):
        return normalise_phone(self.cleaned_data.get("contact_phone", ""))

    def clean_rna_number(self):
        return normalise_rna(self.cleaned_data.get("rna_number", ""))

    def clean_siret(self):
        return normalise_siret(self.cleaned_data.get("siret", ""))

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if self.attachment_count + len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Trois pièces jointes au plus : vous pouvez encore en ajouter %(n)d.")
                % {"n": max(0, MAX_ATTACHMENTS - self.attachment_count)}
            )
        return files

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("attachments", None)
        return data


class ConfirmForm(BaseForm):
    confirm = forms.BooleanField(label=_("Je confirme"), required=True)


class WithdrawForm(BaseForm):
    reason = forms.CharField(
        label=_("Motif"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(
        label=_("Je confirme retirer cette candidature : elle ne sera pas examinée."),
        required=True,
    )


# --- Staff -------------------------------------------------------------------------


class CallForm(BaseModelForm):
    class Meta:
        model = Call
        fields = [
            "title",
            "slug",
            "presentation",
            "eligibility",
            "expected_documents",
            "opens_at",
            "closes_at",
        ]
        labels = {
            "title": _("Titre"),
            "slug": _("Identifiant dans l'adresse"),
            "presentation": _("Présentation"),
            "eligibility": _("Conditions d'éligibilité"),
            "expected_documents": _("Documents attendus"),
            "opens_at": _("Ouverture des candidatures (heure de Paris)"),
            "closes_at": _("Clôture des candidatures (heure de Paris)"),
        }
        help_texts = {
            "slug": _("Lettres minuscules, chiffres et tirets, par exemple ami-2026."),
        }
        widgets = {
            "opens_at": DateTimeInput(),
            "closes_at": DateTimeInput(),
            "presentation": forms.Textarea(attrs={"rows": 5}),
            "eligibility": forms.Textarea(attrs={"rows": 5}),
            "expected_documents": forms.Textarea(attrs={"rows": 3}),
        }


class CollegeForm(BaseModelForm):
    class Meta:
        model = College
        fields = ["name", "seats", "description", "order"]
        labels = {
            "name": _("Nom du collège"),
            "seats": _("Nombre de sièges"),
            "description": _("Description"),
            "order": _("Ordre d'affichage"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(BaseModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "weight", "scale_max", "description", "order"]
        labels = {
            "name": _("Nom du critère"),
            "weight": _("Poids"),
            "scale_max": _("Note maximale (échelle de 0 à…)"),
            "description": _("Ce que le critère évalue"),
            "order": _("Ordre d'affichage"),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CharterForm(BaseForm):
    presentation = forms.CharField(
        label=_("Présentation du Forum ouvert"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    rules = forms.CharField(
        label=_("Règles de participation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


PHASE_ACTIONS = {
    "programmer": ("programme", _("Programmer l'ouverture")),
    "brouillon": ("brouillon", _("Repasser en brouillon")),
    "ouvrir": ("ouvert", _("Ouvrir maintenant")),
    "clore": ("clos", _("Clore maintenant")),
    "rouvrir": ("ouvert", _("Rouvrir")),
    "examiner": ("examen", _("Commencer l'examen")),
    "publier": ("resultats", _("Publier les résultats")),
}


class QueueFilterForm(BaseForm):
    """The queue's filters: a GET form whose state lives in the URL."""

    appel = forms.ModelChoiceField(
        label=_("Appel"),
        queryset=Call.objects.none(),
        required=False,
        empty_label=_("Tous"),
        widget=FastSelect,
    )
    college = forms.ModelChoiceField(
        label=_("Collège"),
        queryset=College.objects.none(),
        required=False,
        empty_label=_("Tous"),
        widget=FastSelect,
    )
    etat = forms.ChoiceField(label=_("État"), required=False, widget=FastSelect)
    departement = forms.ModelChoiceField(
        label=_("Département"),
        queryset=Departement.objects.none(),
        required=False,
        empty_label=_("Tous"),
        widget=FastSelect,
    )
    evaluateur = forms.ModelChoiceField(
        label=_("Évaluateur·rice"),
        queryset=None,
        required=False,
        empty_label=_("Tous"),
        widget=FastSelect,
    )
    q = forms.CharField(
        label=_("Organisation"), required=False, max_length=100, widget=forms.SearchInput
    )
    tri = forms.ChoiceField(
        label=_("Trier par"),
        required=False,
        widget=FastSelect,
        choices=[
            ("recent", _("Dépôt le plus récent")),
            ("ancien", _("Dépôt le plus ancien")),
            ("note", _("Note moyenne")),
            ("nom", _("Nom de l'organisation")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appel"].queryset = Call.objects.order_by("-opens_at", "slug")
        self.fields["college"].queryset = College.objects.select_related("call").order_by(
            "call__opens_at", "order", "name"
        )
        self.fields["college"].label_from_instance = lambda c: f"{c.name} ({c.call.slug})"
        self.fields["departement"].queryset = Departement.objects.order_by("code")
        self.fields["evaluateur"].queryset = reviewers()
        self.fields["etat"].choices = [("", _("À examiner et décidées"))] + [
            (value, label)
            for value, label in ApplicationStatus.choices
            if value != ApplicationStatus.DRAFT
        ]
        for field in self.fields.values():
            # Filters are optional by nature: no « (optionnel) » on each of them.
            field.template_name = "forum/includes/_filter_field.html"

    def filters(self) -> dict:
        self.is_valid()  # an invalid filter is dropped, the valid ones still apply
        data = self.cleaned_data
        sort = data.get("tri") or "recent"
        return {
            "call": data.get("appel"),
            "college": data.get("college"),
            "status": data.get("etat") or "",
            "departement": data.get("departement"),
            "reviewer": data.get("evaluateur"),
            "q": data.get("q") or "",
            "sort": sort if sort in SORTS else "recent",
        }


BULK_ACTIONS = [
    ("assigner", _("Assigner à un·e évaluateur·rice")),
    ("retenue", _("Décider : retenue")),
    ("attente", _("Décider : liste d'attente")),
    ("non_retenue", _("Décider : non retenue")),
    ("notifier", _("Notifier les décisions par e-mail")),
]


class BulkActionForm(BaseForm):
    # The ticks are the rows' checkboxes, drawn by the queue's table (forum/staff/queue.html).
    error_targets = {"ids": "candidatures-cochees"}

    ids = ModelMultipleChoiceField(
        label=_("Candidatures"),
        queryset=Application.objects.exclude(status=ApplicationStatus.DRAFT),
        error_messages={"required": _("Cochez au moins une candidature.")},
    )
    action = forms.ChoiceField(label=_("Action groupée"), choices=BULK_ACTIONS, widget=FastSelect)
    reviewer = forms.ModelChoiceField(
        label=_("Évaluateur·rice à assigner"),
        queryset=None,
        required=False,
        empty_label=_("—"),
        widget=FastSelect,
    )
    message = forms.CharField(
        label=_("Message motivé (décisions)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    allow_over_seats = forms.BooleanField(
        label=_("Je confirme dépasser le nombre de sièges du collège"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "assigner" and not data.get("reviewer"):
            self.add_error("reviewer", _("Choisissez à qui assigner ces candidatures."))
        if action in DECISIONS and not (data.get("message") or "").strip():
            self.add_error("message", _("Rédigez le message motivé envoyé aux candidates."))
        return data


class ReviewForm(BaseForm):
    """One mark per criterion of the call, after the conflict-of-interest declaration."""

    no_conflict = forms.BooleanField(
        label=_(
            "Je déclare n'avoir aucun conflit d'intérêts avec cette organisation "
            "(lien personnel, professionnel ou financier)."
        ),
        required=False,
    )
    comment = forms.CharField(
        label=_("Commentaire (visible des seuls évaluateurs)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, criteria: list[Criterion], declared: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        if declared:
            del self.fields["no_conflict"]
        else:
            self.fields["no_conflict"].required = True
        comment = self.fields.pop("comment")
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s (poids %(weight)d, de 0 à %(max)d)")
                % {"name": criterion.name, "weight": criterion.weight, "max": criterion.scale_max},
                help_text=criterion.description,
                min_value=0,
                max_value=criterion.scale_max,
            )
        self.fields["comment"] = comment

    def marks(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}


class ConflictForm(BaseForm):
    reason = forms.CharField(
        label=_("Nature du conflit d'intérêts"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
    )


class DecisionForm(BaseForm):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[(d.value, d.label) for d in DECISIONS],
        widget=RadioSelect,
    )
    message = forms.CharField(
        label=_("Message motivé à la candidate"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Il lui sera envoyé par e-mail avec la décision."),
    )
    allow_over_seats = forms.BooleanField(
        label=_("Je confirme dépasser le nombre de sièges du collège"), required=False
    )
    notify = forms.BooleanField(
        label=_("Envoyer la décision par e-mail dès maintenant"), required=False
    )


# --- Meetings ------------------------------------------------------------------------


class MeetingForm(BaseModelForm):
    class Meta:
        model = Meeting
        fields = ["title", "starts_at", "ends_at", "place", "visio_url", "agenda", "is_cancelled"]
        labels = {
            "title": _("Intitulé"),
            "starts_at": _("Début (heure de Paris)"),
            "ends_at": _("Fin (heure de Paris)"),
            "place": _("Lieu"),
            "visio_url": _("Lien de visioconférence"),
            "agenda": _("Ordre du jour"),
            "is_cancelled": _("Séance annulée"),
        }
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 5}),
        }


class MinutesForm(BaseForm):
    text = forms.CharField(
        label=_("Compte rendu"), required=False, widget=forms.Textarea(attrs={"rows": 10})
    )
    pdf = PdfField(
        label=_("Compte rendu en PDF"),
        required=False,
        help_text=_("PDF uniquement, 10 Mo au plus."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _upload_widget(self.fields["pdf"])

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload:
            validate_pdf_upload(upload)
        return upload


class AttendanceForm(BaseForm):
    members = ModelMultipleChoiceField(
        label=_("Membres présents"),
        queryset=Member.objects.none(),
        required=False,
        widget=CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = Member.objects.filter(left_on__isnull=True).order_by(
            "organisation_name", "pk"
        )
