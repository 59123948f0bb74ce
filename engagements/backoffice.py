"""The back-office of the plan (/pilotage/…): leads update their commitments, staff run the plan.

The three forms of a commitment's update page work as a full page and, with htmx, inline:
each posts to its own URL, and htmx swaps the whole workspace (``WORKSPACE``: the target
and its partial declared together), refreshed after a save or with the form's errors, so
the figures above the forms never disagree with what was saved. On error the form comes
back with the input and French messages; nothing is saved unless everything is valid.
The forms share one page, so each draws its fields with its own ids (``auto_id``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum_ouvert.core import access, htmx
from forum_ouvert.core.extensions import sections_for
from forum_ouvert.core.forms import add_errors
from forum_ouvert.core.spreadsheet import csv_response
from forum_ouvert.core.text import shorten
from forum_ouvert.core.uploads import (
    PENDING_UPLOAD_LIFETIME,
    forget_file,
    keep_file,
    pending_file,
    pending_uploads,
)

from . import bulk, selectors, services
from .forms import (
    AxisForm,
    BulkConfirmForm,
    BulkUploadForm,
    CommitmentTextsForm,
    EvidenceEditForm,
    EvidenceForm,
    EvidenceReplaceForm,
    EvidenceWithdrawForm,
    LeadsForm,
    MilestoneForm,
    PlanForm,
    ProgressForm,
)
from .models import STAFF_FIELDS, ActionPlan, Axis, Commitment, Evidence, Milestone
from .rules import commitment_abilities

WORKSPACE = htmx.Page(
    "engagements/backoffice/commitment.html",
    htmx.Fragment("workspace", target="espace-de-travail"),
)
#: Field ids of the update page's forms, distinct because the three share one page.
PROGRESS_IDS, MILESTONE_IDS, EVIDENCE_IDS = "avancement-%s", "jalon-%s", "justificatif-%s"


def _commitment(request, slug, **kwargs):
    return get_object_or_404(Commitment.objects.select_related("plan", "axis"), slug=slug)


def _backoffice_url(commitment: Commitment) -> str:
    return reverse("engagements:bo_commitment", kwargs={"slug": commitment.slug})


@access.permission("engagements.access_back_office")
def bo_commitment_list(request):
    """« Mes engagements » (leads) or every commitment (DITP staff)."""
    commitments = list(selectors.back_office_commitments(user=request.user))
    return render(
        request,
        "engagements/backoffice/commitment_list.html",
        {
            "title": _("Engagements du plan") if request.user.is_ditp else _("Mes engagements"),
            "commitments": commitments,
            "to_complete": [c for c in commitments if c.needs_completion],
        },
    )


def _page_context(request, commitment, *, title=None, **forms):
    """``title``: the page's title with ``%(t)s`` for the commitment; each form's own URL
    (« /avancement/ », « /jalons/ajouter/ ») shows this page under a title of its own."""
    update_title = _("Mettre à jour : %(t)s") % {"t": commitment.display_title}
    context = {
        "title": title % {"t": commitment.display_title} if title else update_title,
        # The breadcrumb names the page as htmx leaves it, whichever form was posted.
        "update_title": update_title,
        "commitment": commitment,
        "abilities": commitment_abilities(request.user, commitment),
        "milestones": selectors.commitment_milestones(commitment=commitment),
        "evidence": list(
            selectors.commitment_evidence(commitment=commitment, include_internal=True)
        ),
        "progress_form": _progress_form(commitment),
        "milestone_form": MilestoneForm(auto_id=MILESTONE_IDS),
        "evidence_form": EvidenceForm(commitment=commitment, auto_id=EVIDENCE_IDS),
    }
    context.update(forms)
    return context


def _progress_form(commitment, data=None) -> ProgressForm:
    return ProgressForm(
        data,
        initial={"status": commitment.status, "progress": commitment.progress},
        auto_id=PROGRESS_IDS,
    )


@access.permission("engagements.update_commitment", _commitment)
def bo_commitment(request, slug: str):
    """The update page of one commitment: point d'étape, milestones, evidence."""
    return WORKSPACE.render(request, _page_context(request, request.permission_object))


def _inline_form_view(request, commitment, *, form, form_key: str, save, done: str, title: str):
    """Shared flow of the inline forms: validate, call the service, answer the page (or,
    with htmx, its workspace) with the form's errors, or redirect with ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if WORKSPACE.fragment_for(request):
                # Re-render the whole update region so that every figure is fresh.
                context = _page_context(request, Commitment.objects.get(pk=commitment.pk))
                context["saved_message"] = done
                return WORKSPACE.render(request, context)
            messages.success(request, done)
            return redirect(_backoffice_url(commitment))
    context = _page_context(request, commitment, title=title, **{form_key: form})
    return WORKSPACE.render(request, context)


@access.permission("engagements.update_commitment", _commitment)
def bo_progress(request, slug: str):
    """Point d'étape: status and progress with the mandatory public justification."""
    commitment = request.permission_object
    form = _progress_form(commitment, _posted(request))

    def save(form):
        services.commitment_update(
            actor=request.user,
            commitment=commitment,
            changes={
                "status": form.cleaned_data["status"],
                "progress": form.cleaned_data["progress"],
            },
            justification=form.cleaned_data["justification"],
            allowed_fields=STAFF_FIELDS if request.user.is_ditp else services.LEAD_FIELDS,
            correction=form.cleaned_data["correction"],
        )

    return _inline_form_view(
        request,
        commitment,
        form=form,
        form_key="progress_form",
        save=save,
        done=_("Point d'étape enregistré et publié dans l'historique."),
        title=_("Point d'étape : %(t)s"),
    )


@access.permission("engagements.update_commitment", _commitment)
def bo_milestone_add(request, slug: str):
    commitment = request.permission_object
    form = MilestoneForm(_posted(request), auto_id=MILESTONE_IDS)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "justification"}
        services.milestone_create(
            actor=request.user,
            commitment=commitment,
            data=data,
            justification=form.cleaned_data["justification"],
        )

    return _inline_form_view(
        request,
        commitment,
        form=form,
        form_key="milestone_form",
        save=save,
        done=_("Jalon ajouté."),
        title=_("Ajouter un jalon : %(t)s"),
    )


def _milestone(request, slug, pk):
    milestone = get_object_or_404(
        Milestone.objects.select_related("commitment"), pk=pk, commitment__slug=slug
    )
    request.milestone = milestone
    return milestone.commitment


def _form_page(request, *, form, save, done: str, back_url: str, redirect_to=None, **context):
    """A full-page form: on a valid POST, call ``save(form)`` (a service); its
    ValidationError becomes form errors; success redirects (to ``redirect_to(saved)`` when
    given, else back) with the message ``done``."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(redirect_to(saved) if redirect_to else back_url)
    return render(
        request,
        "engagements/backoffice/form_page.html",
        {"form": form, "back_url": back_url, **context},
    )


def _posted(request):
    """The submitted data on POST, else None (an unbound form: no errors shown on GET)."""
    return request.POST if request.method == "POST" else None


@access.permission("engagements.update_commitment", _milestone)
def bo_milestone_edit(request, slug: str, pk: int):
    """Edit a milestone or mark it reached (full page)."""
    milestone, commitment = request.milestone, request.permission_object

    def save(form):
        services.milestone_update(
            actor=request.user,
            milestone=milestone,
            changes={k: v for k, v in form.cleaned_data.items() if k != "justification"},
            justification=form.cleaned_data["justification"],
        )

    return _form_page(
        request,
        form=MilestoneForm(_posted(request), instance=milestone),
        save=save,
        done=_("Jalon mis à jour."),
        back_url=_backoffice_url(commitment),
        title=_("Modifier le jalon : %(t)s") % {"t": shorten(milestone.deliverable, 80)},
        lead=milestone.deliverable,
        commitment=commitment,
        submit_label=_("Enregistrer le jalon"),
    )


@access.permission("engagements.update_commitment", _commitment)
def bo_evidence_add(request, slug: str):
    """Add a PDF (checked by content, ≤ 10 MB) or a link to the evidence repository."""
    commitment = request.permission_object
    form = EvidenceForm(
        _posted(request),
        request.FILES if request.method == "POST" else None,
        commitment=commitment,
        auto_id=EVIDENCE_IDS,
    )

    def save(form):
        data = form.cleaned_data
        services.evidence_add(
            actor=request.user,
            commitment=commitment,
            milestone=data.get("milestone"),
            title=data["title"],
            title_en=data.get("title_en") or "",
            dated_on=data["dated_on"],
            document=data.get("document"),
            url=data.get("url") or "",
            is_public=data.get("is_public", False),
            justification=data["justification"],
        )

    return _inline_form_view(
        request,
        commitment,
        form=form,
        form_key="evidence_form",
        save=save,
        done=_("Justificatif ajouté."),
        title=_("Ajouter un justificatif : %(t)s"),
    )


@access.permission("engagements.edit_commitment_texts", _commitment)
def bo_commitment_texts(request, slug: str):
    """DITP staff: the OGP template's texts, title, axis, dates and values."""
    commitment = request.permission_object

    def save(form):
        services.commitment_update(
            actor=request.user,
            commitment=commitment,
            changes={f: form.cleaned_data[f] for f in CommitmentTextsForm.Meta.fields},
            justification=form.cleaned_data["justification"],
            allowed_fields=STAFF_FIELDS,
        )

    return _form_page(
        request,
        form=CommitmentTextsForm(_posted(request), instance=commitment),
        save=save,
        done=_("Textes de l'engagement mis à jour."),
        back_url=_backoffice_url(commitment),
        title=_("Textes de l'engagement"),
        lead=commitment.display_title,
        commitment=commitment,
        submit_label=_("Enregistrer"),
    )


@access.permission("engagements.assign_leads", _commitment)
def bo_commitment_leads(request, slug: str):
    """DITP staff: which accounts pilot this commitment."""
    commitment = request.permission_object

    def save(form):
        services.commitment_set_leads(
            actor=request.user,
            commitment=commitment,
            leads=form.cleaned_data["leads"],
            justification=form.cleaned_data["justification"],
        )

    return _form_page(
        request,
        form=LeadsForm(_posted(request), initial={"leads": list(commitment.leads.all())}),
        save=save,
        done=_("Pilotes mis à jour."),
        back_url=_backoffice_url(commitment),
        title=_("Pilotes de l'engagement"),
        lead=commitment.display_title,
        commitment=commitment,
        submit_label=_("Enregistrer les pilotes"),
    )


# --- Plans and axes -------------------------------------------------------------------


@access.permission("engagements.manage_plans")
def bo_plan_list(request):
    plans = ActionPlan.objects.prefetch_related("axes").order_by("-is_current", "-starts_on")
    return render(
        request,
        "engagements/backoffice/plan_list.html",
        {"title": _("Plans d'action et axes"), "plans": plans},
    )


def _plan_form_page(request, plan: ActionPlan | None):
    return _form_page(
        request,
        form=PlanForm(_posted(request), instance=plan),
        save=lambda form: services.plan_save(actor=request.user, plan=form.instance),
        done=_("Plan enregistré."),
        back_url=reverse("engagements:bo_plan_list"),
        redirect_to=lambda saved: reverse("engagements:bo_plan_edit", kwargs={"slug": saved.slug}),
        title=_("Nouveau plan d'action") if plan is None else plan.title,
        submit_label=_("Enregistrer le plan"),
        axes=plan.axes.order_by("number") if plan else None,
        plan=plan,
        # What the higher floors add about a plan (its documents: forum_ouvert.reports).
        related_sections=sections_for("bo_plan_edit", plan=plan) if plan else [],
    )


@access.permission("engagements.manage_plans")
def bo_plan_add(request):
    return _plan_form_page(request, None)


@access.permission("engagements.manage_plans")
def bo_plan_edit(request, slug: str):
    return _plan_form_page(request, get_object_or_404(ActionPlan, slug=slug))


def _axis_form_page(request, plan: ActionPlan, axis: Axis):
    return _form_page(
        request,
        form=AxisForm(_posted(request), instance=axis),
        save=lambda form: services.axis_save(actor=request.user, axis=form.instance),
        done=_("Axe enregistré."),
        back_url=reverse("engagements:bo_plan_edit", kwargs={"slug": plan.slug}),
        title=_("Nouvel axe du plan")
        if axis.pk is None
        else _("Axe %(n)s : %(t)s") % {"n": axis.number, "t": shorten(axis.title, 80)},
        lead=plan.title,
        submit_label=_("Enregistrer l'axe"),
    )


@access.permission("engagements.manage_plans")
def bo_axis_add(request, slug: str):
    plan = get_object_or_404(ActionPlan, slug=slug)
    return _axis_form_page(request, plan, Axis(plan=plan))


@access.permission("engagements.manage_plans")
def bo_axis_edit(request, slug: str, number: int):
    plan = get_object_or_404(ActionPlan, slug=slug)
    return _axis_form_page(request, plan, get_object_or_404(Axis, plan=plan, number=number))


# --- Bulk progress update from a spreadsheet (issue 19, item 12) -----------------------

#: Who may use a confirmation token: the person who uploaded the file, within a day.
BULK_SALT = "engagements.bulk"


def _bulk_page(request, *, form=None, report=None, confirm_form=None, status=200):
    return render(
        request,
        "engagements/backoffice/bulk_update.html",
        {
            "title": _("Mise à jour groupée depuis un tableur")
            if report is None
            else _("Aperçu de la mise à jour groupée")
            if report.ok
            else _("Erreur : aperçu de la mise à jour groupée"),
            "form": form if form is not None else BulkUploadForm(),
            "confirm_form": confirm_form,
            "report": report,
            "columns": [(name, str(text)) for name, text in bulk.COLUMNS.items()],
        },
        status=status,
    )


def _kept_table(request, token: str):
    """The kept file of this person's preview and its table, or ``(None, None)``."""
    try:
        data = signing.loads(token, salt=BULK_SALT, max_age=PENDING_UPLOAD_LIFETIME)
    except signing.BadSignature:
        return None, None
    if not isinstance(data, dict) or data.get("user") != request.user.pk:
        return None, None
    rows = pending_uploads([str(data.get("token", ""))])
    if not rows:
        return None, None
    form = BulkUploadForm(data={}, files={"fichier": pending_file(rows[0])})
    if not form.is_valid():
        return None, None
    return rows[0], form.table


@access.permission("engagements.access_back_office")
def bo_bulk_update(request):
    """Upload a CSV or XLSX, then see every row's change and error before confirming."""
    if request.method != "POST":
        return _bulk_page(request)
    form = BulkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _bulk_page(request, form=form)
    report = bulk.bulk_progress_check(actor=request.user, table=form.table)
    confirm_form = None
    if report.ok:
        kept = keep_file(form.cleaned_data["fichier"])
        token = signing.dumps({"token": kept.token, "user": request.user.pk}, salt=BULK_SALT)
        confirm_form = BulkConfirmForm(initial={"jeton": token})
    return _bulk_page(request, report=report, confirm_form=confirm_form)


@access.permission("engagements.access_back_office")
def bo_bulk_confirm(request):
    """Apply the previewed file: every row through the services, all or nothing."""
    if request.method != "POST":
        return redirect("engagements:bo_bulk_update")
    confirm_form = BulkConfirmForm(request.POST)
    kept, table = (
        _kept_table(request, confirm_form.cleaned_data["jeton"])
        if confirm_form.is_valid()
        else (None, None)
    )
    if table is None:
        form = BulkUploadForm(data={})
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "fichier",
            _("Le fichier de l'aperçu n'est plus disponible : déposez-le à nouveau."),
        )
        return _bulk_page(request, form=form)
    try:
        report = bulk.bulk_progress_apply(actor=request.user, table=table)
    except bulk.BulkRefused as refused:
        # The plan changed since the preview: say what, write nothing, keep the file.
        return _bulk_page(request, report=refused.report)
    forget_file(kept)
    messages.success(
        request,
        ngettext(
            "Mise à jour groupée appliquée : %(n)d ligne publiée dans l'historique.",
            "Mise à jour groupée appliquée : %(n)d lignes publiées dans l'historique.",
            report.changed_count,
        )
        % {"n": report.changed_count},
    )
    return redirect("engagements:bo_commitment_list")


@access.permission("engagements.access_back_office")
def bo_bulk_template(request):
    """The template of the bulk update, pre-filled with the current values."""
    return csv_response(
        bulk.template_rows(user=request.user),
        header=bulk.TEMPLATE_HEADER,
        filename="mise-a-jour-groupee.csv",
        delimiter=";",
        bom=True,
        private=True,
    )


# --- Evidence back-office (issue 19, item 13) ------------------------------------------


def _evidence_of(request, slug, pk):
    return get_object_or_404(
        Evidence.objects.select_related("commitment", "milestone"), pk=pk, commitment__slug=slug
    )


def _evidence_list_url(commitment: Commitment) -> str:
    return reverse("engagements:bo_evidence_list", kwargs={"slug": commitment.slug})


@access.permission("engagements.update_commitment", _commitment)
def bo_evidence_list(request, slug: str):
    """Every evidence of a commitment, public, internal and withdrawn, with its links and
    what may be done to it."""
    commitment = request.permission_object
    evidence = list(
        selectors.commitment_evidence(commitment=commitment, include_internal=True).select_related(
            "replaced_by"
        )
    )
    return render(
        request,
        "engagements/backoffice/evidence_list.html",
        {
            "title": _("Justificatifs de l'engagement n° %(n)s") % {"n": commitment.number},
            "commitment": commitment,
            "evidence": evidence,
        },
    )


def _evidence_form_page(request, evidence, *, form, save, done, title, submit_label):
    """``title`` names the act; the page's title adds which evidence of which commitment."""
    title = _("%(act)s « %(t)s » de l'engagement n° %(n)s") % {
        "act": title,
        "t": shorten(evidence.title, 80),
        "n": evidence.commitment.number,
    }
    return _form_page(
        request,
        form=form,
        save=save,
        done=done,
        back_url=_evidence_list_url(evidence.commitment),
        title=title,
        lead=evidence.title,
        commitment=evidence.commitment,
        submit_label=submit_label,
    )


@access.permission(
    "engagements.manage_evidence", _evidence_of, private="engagements.download_evidence"
)
def bo_evidence_edit(request, slug: str, pk: int):
    """Change an evidence's title or visibility (journaled)."""
    evidence = request.permission_object
    form = EvidenceEditForm(
        _posted(request), initial={"title": evidence.title, "is_public": evidence.is_public}
    )
    return _evidence_form_page(
        request,
        evidence,
        form=form,
        save=lambda form: services.evidence_update(
            actor=request.user,
            evidence=evidence,
            title=form.cleaned_data["title"],
            is_public=form.cleaned_data["is_public"],
            justification=form.cleaned_data["justification"],
        ),
        done=_("Justificatif mis à jour."),
        title=_("Modifier le justificatif"),
        submit_label=_("Enregistrer le justificatif"),
    )


@access.permission(
    "engagements.manage_evidence", _evidence_of, private="engagements.download_evidence"
)
def bo_evidence_withdraw(request, slug: str, pk: int):
    """Withdraw an evidence with a reason (journaled, the file kept)."""
    evidence = request.permission_object
    return _evidence_form_page(
        request,
        evidence,
        form=EvidenceWithdrawForm(_posted(request)),
        save=lambda form: services.evidence_withdraw(
            actor=request.user, evidence=evidence, reason=form.cleaned_data["reason"]
        ),
        done=_("Justificatif retiré ; il reste conservé dans l'historique."),
        title=_("Retirer le justificatif"),
        submit_label=_("Retirer le justificatif"),
    )


@access.permission(
    "engagements.manage_evidence", _evidence_of, private="engagements.download_evidence"
)
def bo_evidence_replace(request, slug: str, pk: int):
    """Replace an evidence's document or link by a new version; the old one is kept."""
    evidence = request.permission_object
    form = EvidenceReplaceForm(
        _posted(request), request.FILES if request.method == "POST" else None
    )
    return _evidence_form_page(
        request,
        evidence,
        form=form,
        save=lambda form: services.evidence_replace(
            actor=request.user,
            evidence=evidence,
            document=form.cleaned_data.get("document"),
            url=form.cleaned_data.get("url") or "",
            dated_on=form.cleaned_data.get("dated_on"),
            justification=form.cleaned_data["justification"],
        ),
        done=_("Nouvelle version enregistrée ; l'ancienne reste conservée."),
        title=_("Remplacer le justificatif"),
        submit_label=_("Enregistrer la nouvelle version"),
    )
