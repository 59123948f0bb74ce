"""The staff activity log: the audit rows read as French sentences, filtered and linked.

Every accountable act already writes one ``AuditLog`` row (``core.audit``), in the same
transaction as the act. This module only reads them for the back-office page « Journal
d'activité » (issue 19, item 11): who did what to which object, when, filterable by
person, kind of object and date, each object linked to its page when it still has one.
Read-only: nothing here writes.

An action code is ``app.object.verb`` (``forum.application.decide``); the sentence comes
from its verb (``VERBS``) and the object's kind from its model's verbose name, so a new
action only needs its verb here (a test fails when a verb used in the code has none).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .audit import readable_changes
from .choices import Role
from .forms import BaseForm
from .models import AuditLog, User
from .widgets import DateInput

PAGE_SIZE = 50

#: What each verb of an action code says, after the person's name.
#: What audit rows record under keys that are not a field of their object (the field's
#: name is read from the model otherwise).
KEYS: dict[str, str] = {
    "amr": _("Méthodes d'authentification (amr)"),
    "response_status": _("Réponse du gouvernement"),
}

VERBS: dict[str, str] = {
    "accept": _("a accepté"),
    "accept_terms": _("a accepté les conditions générales d'utilisation, compte"),
    "add_internal": _("a ajouté un justificatif interne à"),
    "anonymise": _("a anonymisé"),
    "answer": _("a répondu à la contestation de"),
    "approve": _("a publié après modération"),
    "assign": _("a assigné"),
    "attendance": _("a noté les présences de"),
    "auto_hide": _("a masqué automatiquement (seuil de signalements atteint)"),
    "block": _("a bloqué"),
    "cancel": _("a annulé"),
    "confirm": _("a confirmé le masquage de"),
    "conflict": _("a déclaré un conflit d'intérêts sur"),
    "contest": _("a contesté la décision de modération sur"),
    "correct": _("a corrigé"),
    "create": _("a créé"),
    "decide": _("a pris une décision sur"),
    "delete": _("a supprimé"),
    "dismiss_reports": _("a classé les signalements de"),
    "edit": _("a modifié le texte de"),
    "edit_a_priori": _("a modifié (remis en modération)"),
    "export": _("a exporté"),
    "forget": _("a effacé les données personnelles de"),
    "give": _("a donné un avis sur"),
    "hide": _("a masqué"),
    "invite": _("a envoyé les invitations de"),
    "issue": _("a délivré"),
    "link": _("a relié une identité à"),
    "merge": _("a fusionné"),
    "minutes": _("a publié le compte rendu de"),
    "notify": _("a notifié la décision de"),
    "phase": _("a changé la phase de"),
    "promote": _("a promu"),
    "propose": _("a proposé"),
    "public_profile": _("a ouvert ou fermé la page publique de"),
    "publish": _("a publié"),
    "refuse": _("a refusé"),
    "replace": _("a remplacé"),
    "request": _("a demandé"),
    "requeue": _("a relancé"),
    "respond": _("a répondu à"),
    "restore": _("a rétabli"),
    "restore_withdrawn": _("a rétabli (retirée par son auteur)"),
    "retry": _("a relancé"),
    "review": _("a remis en modération"),
    "revise": _("a révisé"),
    "save": _("a enregistré"),
    "score": _("a noté"),
    # A ProConnect login whose second factor stood for the local code (core/oidc/stages.py).
    "second_factor": _("s'est connecté(e) avec le second facteur de ProConnect, compte"),
    "set": _("a enregistré"),
    "set_role": _("a changé le rôle de"),
    "signup": _("a créé un compte pour"),
    "state": _("a changé l'état de"),
    "status": _("a changé l'état de"),
    "submit": _("a déposé"),
    "unblock": _("a débloqué"),
    "unlink": _("a délié une identité de"),
    "unpublish": _("a dépublié"),
    "update": _("a modifié"),
    "withdraw": _("a retiré"),
}

#: The roles whose people the « Personne » filter lists (the back-office's people).
BACK_OFFICE_ROLES = (Role.STAFF, Role.LEAD, Role.ADMIN)


def verb_of(action: str) -> str:
    """« a masqué »: what an action code says; « a agi sur » for a verb not known yet."""
    return str(VERBS.get(action.rsplit(".", 1)[-1], _("a agi sur")))


def _kinds() -> QuerySet[ContentType]:
    """The kinds of object that have audit rows, by their model's name."""
    used = AuditLog.objects.exclude(target_type=None).values("target_type").distinct()
    return ContentType.objects.filter(pk__in=used)


class ActivityFilters(BaseForm):
    """The log's filters (GET): a person of the back-office, a kind of object, dates."""

    personne = forms.ModelChoiceField(
        label=_("Personne"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Toutes les personnes"),
    )
    objet = forms.ModelChoiceField(
        label=_("Type d'objet"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("Tous les types"),
    )
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = self.fields["personne"]
        people.queryset = User.objects.filter(role__in=BACK_OFFICE_ROLES).order_by(
            "display_name", "email"
        )
        people.label_from_instance = lambda user: (
            f"{user.display_name} ({user.email})" if user.display_name else user.email
        )
        kinds = self.fields["objet"]
        kinds.queryset = _kinds()
        kinds.label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        ).capitalize()

    def clean(self):
        data = super().clean()
        start, end = data.get("du"), data.get("au")
        if start and end and start > end:
            self.add_error("au", _("La date de fin précède la date de début."))
        return data


@dataclass
class Entry:
    """One row of the log, ready for the page."""

    row: AuditLog
    verb: str
    kind: str
    url: str | None
    #: ``[(label, before, after)]``: the row's changes as people read them.
    changes: list[tuple[str, str, str]]


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def entries(*, filters: dict) -> QuerySet[AuditLog]:
    """The audit rows the filters keep, newest first."""
    rows = AuditLog.objects.select_related("actor", "target_type").order_by("-created_at", "-id")
    if filters.get("personne"):
        rows = rows.filter(actor=filters["personne"])
    if filters.get("objet"):
        rows = rows.filter(target_type=filters["objet"])
    if filters.get("du"):
        rows = rows.filter(created_at__gte=_day_start(filters["du"]))
    if filters.get("au"):
        rows = rows.filter(created_at__lt=_day_start(filters["au"] + dt.timedelta(days=1)))
    return rows


def page(*, filters: dict, number) -> tuple[Page, list[Entry]]:
    """One page of the log, each row with its sentence and the link to its object.

    The objects are read in one query per kind of object on the page (never one per row);
    an object that no longer exists, or has no page of its own, is shown unlinked."""
    page_obj = Paginator(entries(filters=filters), PAGE_SIZE).get_page(number)
    rows = list(page_obj.object_list)
    by_type: dict[ContentType, set] = {}
    for row in rows:
        if row.target_type is not None and row.target_id:
            by_type.setdefault(row.target_type, set()).add(row.target_id)
    urls: dict[tuple[int, str], str] = {}
    for ct, ids in by_type.items():
        model = ct.model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        pk = model._meta.pk
        try:
            keys = [pk.to_python(i) for i in ids]
        except ValidationError:  # an id of another type (the row outlived a change of key)
            continue
        # Pages' addresses are made of their required foreign keys (a contribution's
        # consultation): read with the objects, not one query per object.
        required = [
            f.name
            for f in model._meta.concrete_fields
            if f.many_to_one and not f.null and f.related_model is not ContentType
        ]
        for obj in model._base_manager.filter(pk__in=keys).select_related(*required):
            try:
                urls[(ct.pk, str(obj.pk))] = obj.get_absolute_url()
            except (NoReverseMatch, ObjectDoesNotExist):  # its page needs what is gone
                continue
    result = []
    for row in rows:
        model = row.target_type.model_class() if row.target_type else None
        kind = str(model._meta.verbose_name) if model else ""
        url = urls.get((row.target_type_id, row.target_id)) if row.target_type else None
        changes = (
            readable_changes(row, model, KEYS) if model and isinstance(row.changes, dict) else []
        )
        result.append(Entry(row=row, verb=verb_of(row.action), kind=kind, url=url, changes=changes))
    return page_obj, result
