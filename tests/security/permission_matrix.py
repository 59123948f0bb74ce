"""The permission matrix of the site, as data: every URL pattern × role × method → outcome.

Each row names a URL (its ``namespace:name``), the objects its arguments point at in the
test world (``"@application_a.pk"`` reads ``world.application_a.pk``; see
``tests/security/conftest.py``), and for each method a tuple of six outcomes, one per role,
always in this order:

    anonymous, citizen, association, lead (pilote), DITP staff, admin

An outcome is an HTTP status (200, 301, 302 to a page of the site, 400 for a form that the
view reached and refused, 403, 404, 405), or ``LOGIN`` for a redirection to a login page.
A logged-in role that may not see a private object (an application, an attachment, an
internal document, a draft report, a registration) gets 404, as for an id that does not
exist: ids say nothing of what exists.
POST requests carry an empty payload unless the row gives one: what is asserted is the
access decision, not the form's validation.

Objects « A » belong to the role's own account, objects « B » to another account of the same
role (``owner`` names the role whose account owns the A object). Every row with an owner has
a twin row on the B object, where that role must be refused.

``EXEMPT`` lists the third-party URL prefixes that the matrix does not walk, with a reason.
``tests/security/test_permission_matrix.py`` walks the table and fails when a URL pattern of
the site is neither in the table nor exempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from forum_ouvert.core.choices import Role

LOGIN = "login"

# Shorthands for the common columns (anonymous, citizen, association, lead, staff, admin).
EVERYONE = (200, 200, 200, 200, 200, 200)
LOGGED_IN = (LOGIN, 200, 200, 200, 200, 200)
BACK_OFFICE = (LOGIN, 403, 403, 200, 200, 200)
STAFF = (LOGIN, 403, 403, 403, 200, 200)
STAFF_REDIRECT = (LOGIN, 403, 403, 403, 302, 302)
#: Staff reach the form; an empty payload is refused with 400 (the view's own choice).
STAFF_FORM_ERROR = (LOGIN, 403, 403, 403, 400, 400)
NOBODY_BUT_LOGIN = (LOGIN, 403, 403, 403, 403, 403)
POST_ONLY = (405, 405, 405, 405, 405, 405)
ANONYMOUS_LOGIN_ELSE_404 = (LOGIN, 404, 404, 404, 404, 404)
# A private object (an application, an internal document, a draft report): who may not see
# it gets 404 as for an id that does not exist (``access.permission(private=…)``); staff,
# who may see it, get the access decision itself.
PRIVATE_STAFF = (LOGIN, 404, 404, 404, 200, 200)
PRIVATE_STAFF_REFUSED = (LOGIN, 404, 404, 404, 403, 403)
PRIVATE_STAFF_FORM_ERROR = (LOGIN, 404, 404, 404, 400, 400)
PRIVATE_STAFF_REDIRECT = (LOGIN, 404, 404, 404, 302, 302)
#: A private object behind a URL that anonymous visitors may use for public objects (a
#: document): refused, it is a 404 for them too, as an id that does not exist.
HIDDEN_STAFF = (404, 404, 404, 404, 200, 200)


@dataclass(frozen=True)
class Case:
    """One row of the matrix: a URL, the objects it points at, the expected outcomes."""

    url: str
    kwargs: dict = field(default_factory=dict)
    get: tuple | None = None
    post: tuple | None = None
    #: The role whose account owns the A object the row points at (access by ownership).
    owner: str | None = None
    data: dict = field(default_factory=dict)
    why: str = ""


MATRIX: list[Case] = [
    # --- Ground floor: informational pages, health check ------------------------------
    Case("fixed:healthz", get=EVERYONE),
    Case("fixed:favicon", get=(301,) * 6),
    Case("fixed:security_txt", get=EVERYONE),
    Case(
        "fixed:switch_language",
        {"code": "en"},
        get=(302,) * 6,
        why="Sets the visitor's own language cookie and sends to the same page in it.",
    ),
    Case("core:security_policy", get=EVERYONE),
    Case("core:accessibility", get=EVERYONE),
    Case("core:accessibility_grid", get=EVERYONE),
    Case("core:accessibility_plan", get=EVERYONE),
    Case("core:legal", get=EVERYONE),
    Case("core:privacy", get=EVERYONE),
    Case("core:sitemap", get=EVERYONE),
    Case("core:terms", get=EVERYONE),
    Case(
        "core:terms_accept",
        get=LOGGED_IN,
        post=(LOGIN, 400, 400, 400, 400, 400),
        why="An empty payload is refused (the box must be ticked) and re-displayed.",
    ),
    # Whoever's session has an idle timeout: staff and commitment leads.
    Case("core:session_keepalive", get=POST_ONLY, post=(LOGIN, 403, 403, 302, 302, 302)),
    Case("core:search", get=EVERYONE, why="Public objects only, for everyone alike."),
    Case(
        "account_login",
        get=(200, 302, 302, 302, 302, 302),
        post=(200, 302, 302, 302, 302, 302),
        why="Logged-in people are sent on to their space.",
    ),
    # --- Portal: home, my space, my account, pilotage, territories, my record ----------
    Case("portal:home", get=EVERYONE),
    Case("portal:my_space", get=LOGGED_IN),
    Case("portal:account", get=LOGGED_IN, post=(LOGIN, 302, 302, 302, 302, 302)),
    Case("portal:account_delete", get=LOGGED_IN, post=LOGGED_IN),
    # --- Public profiles, opt-in (issue 19, item 4) -----------------------------------
    Case(
        "portal:public_profile_settings",
        get=LOGGED_IN,
        post=(LOGIN, 302, 302, 302, 302, 302),
        why="One's own consent: an empty payload keeps the page closed.",
    ),
    Case(
        "portal:participant",
        {"pk": "@participant_public.pk"},
        get=EVERYONE,
        why="The person opened their public page.",
    ),
    Case(
        "portal:participant",
        {"pk": "@citizen_b.pk"},
        get=(404,) * 6,
        why="Without consent the page does not exist, as for an id that does not exist.",
    ),
    # --- Notifications (issue 19): the centre, its settings, the e-mails' links ---------
    Case("core:notifications", get=LOGGED_IN),
    Case(
        "core:notification_read",
        {"pk": "@notification_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 302, 404, 404, 404, 404),
        owner=Role.CITIZEN,
        why="Only its recipient marks a notification read; to anyone else it does not exist.",
    ),
    Case(
        "core:notification_read",
        {"pk": "@notification_b.pk"},
        get=POST_ONLY,
        post=(LOGIN, 404, 404, 404, 404, 404),
    ),
    Case(
        "core:notification_read_all",
        get=POST_ONLY,
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case(
        "core:notification_settings",
        get=LOGGED_IN,
        post=(LOGIN, 400, 400, 400, 400, 400),
        why="An empty payload is refused (every kind needs a choice) and re-displayed.",
    ),
    Case(
        "core:unsubscribe",
        {"token": "@unsubscribe_token"},
        get=EVERYONE,
        post=EVERYONE,
        why="The signed link is the authority: no login, as RFC 8058 asks.",
    ),
    Case("core:unsubscribe", {"token": "faux"}, get=(404,) * 6, post=(404,) * 6),
    Case(
        "portal:account_identity_remove",
        {"pk": "@identity_a.pk"},
        get=(LOGIN, 405, 405, 405, 405, 405),
        post=(LOGIN, 302, 404, 404, 404, 404),
        owner=Role.CITIZEN,
        why="Only its holder unlinks a ProConnect / FranceConnect identity, admins included.",
    ),
    Case(
        "portal:account_identity_remove",
        {"pk": "@identity_b.pk"},
        get=(LOGIN, 405, 405, 405, 405, 405),
        post=(LOGIN, 404, 404, 404, 404, 404),
    ),
    *(
        Case(
            f"{provider}_{view}",
            get=(404,) * 6,
            post=(404,) * 6,
            why="Not configured here (no client id, secret, issuer): nothing to offer. "
            "Configured, tests/oidc runs them against a real OpenID provider.",
        )
        for provider in ("proconnect", "franceconnect")
        for view in ("login", "callback")
    ),
    Case("portal:dashboard", get=BACK_OFFICE),
    Case("portal:activity_log", get=STAFF),
    Case("portal:territories", get=EVERYONE),
    Case("portal:territory", {"code": "69"}, get=EVERYONE),
    Case("portal:attestation", get=LOGGED_IN, post=LOGGED_IN),
    Case(
        "portal:attestation_pdf",
        {"code": "@attestation_a.code"},
        get=(LOGIN, 200, 403, 403, 403, 403),
        owner=Role.CITIZEN,
        why="Only its holder downloads an attestation, admins included.",
    ),
    Case("portal:attestation_pdf", {"code": "@attestation_b.code"}, get=NOBODY_BUT_LOGIN),
    Case("portal:data_page", get=LOGGED_IN),
    Case("portal:data_export", get=LOGGED_IN),
    Case("portal:data_export_csv", get=LOGGED_IN),
    Case("portal:attestation_lookup", get=EVERYONE),
    Case(
        "portal:attestation_verify",
        {"code": "@attestation_a.code"},
        get=EVERYONE,
        why="The code is the proof: anyone holding it may check the attestation.",
    ),
    # --- Engagements: public pages and open data -------------------------------------
    Case("engagements:plan_list", get=EVERYONE),
    Case("engagements:plan_detail", {"slug": "@plan.slug"}, get=EVERYONE),
    Case("engagements:commitment_list", get=EVERYONE),
    Case("engagements:commitment_detail", {"slug": "@commitment_a.slug"}, get=EVERYONE),
    Case(
        "engagements:commitment_follow",
        {"slug": "@commitment_a.slug"},
        get=POST_ONLY,
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case("engagements:repository", get=EVERYONE),
    Case("engagements:evidence_download", {"pk": "@evidence_public.pk"}, get=EVERYONE),
    Case(
        "engagements:evidence_download",
        {"pk": "@evidence_a.pk"},
        get=(404, 404, 404, 200, 200, 200),
        owner=Role.LEAD,
        why="An internal document: its commitment's leads and DITP staff only.",
    ),
    Case(
        "engagements:evidence_download",
        {"pk": "@evidence_b.pk"},
        get=HIDDEN_STAFF,
    ),
    Case("engagements:open_data", get=EVERYONE),
    Case("engagements:export_commitments_csv", get=EVERYONE),
    Case("engagements:export_commitments_json", get=EVERYONE),
    Case("engagements:export_milestones_csv", get=EVERYONE),
    Case("engagements:export_journal_csv", get=EVERYONE),
    Case("engagements:export_journal_atom", get=EVERYONE),
    # --- Engagements: back-office (leads on their own commitments, staff on all) -------
    Case("engagements:bo_commitment_list", get=BACK_OFFICE),
    Case(
        "engagements:bo_commitment",
        {"slug": "@commitment_a.slug"},
        get=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case("engagements:bo_commitment", {"slug": "@commitment_b.slug"}, get=STAFF),
    Case(
        "engagements:bo_progress",
        {"slug": "@commitment_a.slug"},
        get=BACK_OFFICE,
        post=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case("engagements:bo_progress", {"slug": "@commitment_b.slug"}, get=STAFF, post=STAFF),
    Case(
        "engagements:bo_milestone_add",
        {"slug": "@commitment_a.slug"},
        get=BACK_OFFICE,
        post=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case("engagements:bo_milestone_add", {"slug": "@commitment_b.slug"}, get=STAFF, post=STAFF),
    Case(
        "engagements:bo_milestone_edit",
        {"slug": "@commitment_a.slug", "pk": "@milestone_a.pk"},
        get=BACK_OFFICE,
        post=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case(
        "engagements:bo_milestone_edit",
        {"slug": "@commitment_b.slug", "pk": "@milestone_b.pk"},
        get=STAFF,
        post=STAFF,
    ),
    Case(
        "engagements:bo_milestone_edit",
        {"slug": "@commitment_a.slug", "pk": "@milestone_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="B's milestone reached through A's commitment: it does not exist there.",
    ),
    Case(
        "engagements:bo_evidence_add",
        {"slug": "@commitment_a.slug"},
        get=BACK_OFFICE,
        post=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case("engagements:bo_evidence_add", {"slug": "@commitment_b.slug"}, get=STAFF, post=STAFF),
    Case(
        "engagements:bo_evidence_list",
        {"slug": "@commitment_a.slug"},
        get=BACK_OFFICE,
        owner=Role.LEAD,
    ),
    Case("engagements:bo_evidence_list", {"slug": "@commitment_b.slug"}, get=STAFF),
    *[
        case
        for name in ("bo_evidence_edit", "bo_evidence_withdraw", "bo_evidence_replace")
        for case in (
            Case(
                f"engagements:{name}",
                {"slug": "@commitment_a.slug", "pk": "@evidence_a.pk"},
                get=(LOGIN, 404, 404, 200, 200, 200),
                post=(LOGIN, 404, 404, 200, 200, 200),
                owner=Role.LEAD,
                why="An internal document: who may not see it is told it does not exist.",
            ),
            Case(
                f"engagements:{name}",
                {"slug": "@commitment_b.slug", "pk": "@evidence_b.pk"},
                get=PRIVATE_STAFF,
                post=PRIVATE_STAFF,
            ),
            Case(
                f"engagements:{name}",
                {"slug": "@commitment_a.slug", "pk": "@evidence_public.pk"},
                get=BACK_OFFICE,
                post=BACK_OFFICE,
                why="A public document: others may see it, not change it (403).",
            ),
            Case(
                f"engagements:{name}",
                {"slug": "@commitment_a.slug", "pk": "@evidence_b.pk"},
                get=ANONYMOUS_LOGIN_ELSE_404,
                post=ANONYMOUS_LOGIN_ELSE_404,
                why="B's document reached through A's commitment: it does not exist there.",
            ),
        )
    ],
    Case("engagements:bo_texts", {"slug": "@commitment_a.slug"}, get=STAFF, post=STAFF),
    Case("engagements:bo_leads", {"slug": "@commitment_a.slug"}, get=STAFF, post=STAFF),
    # Bulk update: the back-office; each row is checked against the person's commitments.
    Case("engagements:bo_bulk_update", get=BACK_OFFICE, post=BACK_OFFICE),
    Case(
        "engagements:bo_bulk_confirm",
        get=(LOGIN, 403, 403, 302, 302, 302),
        post=BACK_OFFICE,
        why="An empty or foreign token shows the upload form again, nothing written.",
    ),
    Case("engagements:bo_bulk_template", get=BACK_OFFICE),
    Case("engagements:bo_plan_list", get=STAFF),
    Case("engagements:bo_plan_add", get=STAFF, post=STAFF),
    Case("engagements:bo_plan_edit", {"slug": "@plan.slug"}, get=STAFF, post=STAFF),
    Case("engagements:bo_axis_add", {"slug": "@plan.slug"}, get=STAFF, post=STAFF),
    Case(
        "engagements:bo_axis_edit",
        {"slug": "@plan.slug", "number": "@axis.number"},
        get=STAFF,
        post=STAFF,
    ),
    # --- Forum ouvert: public pages ---------------------------------------------------
    Case("forum:index", get=EVERYONE),
    Case("forum:call_list", get=EVERYONE),
    Case("forum:call_detail", {"slug": "@call.slug"}, get=EVERYONE),
    Case(
        "forum:call_detail",
        {"slug": "@call_draft.slug"},
        get=(404, 404, 404, 404, 200, 200),
        why="A draft call exists only for DITP staff.",
    ),
    Case("forum:meeting_detail", {"pk": "@meeting.pk"}, get=EVERYONE),
    Case("forum:meeting_minutes_pdf", {"pk": "@meeting.pk"}, get=EVERYONE),
    Case(
        "forum:meeting_minutes_pdf",
        {"pk": "@meeting_without_minutes.pk"},
        get=(404,) * 6,
        why="No minutes published yet.",
    ),
    # --- Forum ouvert: applicants -------------------------------------------------------
    Case(
        "forum:apply",
        {"slug": "@call.slug"},
        get=(LOGIN, 200, 200, 403, 403, 403),
        post=(LOGIN, 200, 200, 403, 403, 403),
        why="Citizens acting for an organisation and representatives apply; nobody else.",
    ),
    Case("forum:my_applications", get=LOGGED_IN),
    Case(
        "forum:my_application",
        {"pk": "@application_a.pk"},
        get=(LOGIN, 404, 200, 404, 200, 200),
        owner=Role.ASSOCIATION,
    ),
    Case("forum:my_application", {"pk": "@application_b.pk"}, get=PRIVATE_STAFF),
    Case(
        "forum:application_edit",
        {"pk": "@application_a.pk"},
        get=(LOGIN, 404, 200, 404, 403, 403),
        post=(LOGIN, 404, 200, 404, 403, 403),
        owner=Role.ASSOCIATION,
        why="Only the applicant changes an application; reviewers read it.",
    ),
    Case(
        "forum:application_edit",
        {"pk": "@application_b.pk"},
        get=PRIVATE_STAFF_REFUSED,
        post=PRIVATE_STAFF_REFUSED,
    ),
    Case(
        "forum:application_withdraw",
        {"pk": "@application_a.pk"},
        get=(LOGIN, 404, 200, 404, 403, 403),
        post=(LOGIN, 404, 200, 404, 403, 403),
        owner=Role.ASSOCIATION,
    ),
    Case(
        "forum:application_withdraw",
        {"pk": "@application_b.pk"},
        get=PRIVATE_STAFF_REFUSED,
        post=PRIVATE_STAFF_REFUSED,
    ),
    Case(
        "forum:attachment_delete",
        {"pk": "@application_a.pk", "attachment_pk": "@attachment_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 404, 302, 404, 403, 403),
        owner=Role.ASSOCIATION,
    ),
    Case(
        "forum:attachment_delete",
        {"pk": "@application_b.pk", "attachment_pk": "@attachment_b.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_REFUSED,
    ),
    Case(
        "forum:attachment_delete",
        {"pk": "@application_a.pk", "attachment_pk": "@attachment_b.pk"},
        get=POST_ONLY,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="B's attachment reached through A's application: it does not exist there.",
    ),
    Case(
        "forum:attachment",
        {"pk": "@application_a.pk", "attachment_pk": "@attachment_a.pk"},
        get=(LOGIN, 404, 200, 404, 200, 200),
        owner=Role.ASSOCIATION,
    ),
    Case(
        "forum:attachment",
        {"pk": "@application_b.pk", "attachment_pk": "@attachment_b.pk"},
        get=PRIVATE_STAFF,
    ),
    Case(
        "forum:attachment",
        {"pk": "@application_a.pk", "attachment_pk": "@attachment_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
    ),
    # --- Forum ouvert: staff (calls, review, meetings) --------------------------------
    Case("forum:staff_home", get=STAFF),
    Case("forum:charter_edit", get=STAFF, post=STAFF),
    Case("forum:call_create", get=STAFF, post=STAFF),
    Case("forum:call_manage", {"slug": "@call.slug"}, get=STAFF),
    Case("forum:call_edit", {"slug": "@call.slug"}, get=STAFF, post=STAFF),
    Case("forum:call_phase", {"slug": "@call.slug"}, get=POST_ONLY, post=STAFF_REDIRECT),
    Case("forum:call_notify", {"slug": "@call.slug"}, get=POST_ONLY, post=STAFF_REDIRECT),
    Case("forum:college_add", {"slug": "@call.slug"}, get=STAFF_REDIRECT, post=STAFF),
    Case(
        "forum:college_edit",
        {"slug": "@call.slug", "pk": "@college.pk"},
        get=STAFF,
        post=STAFF,
    ),
    Case("forum:criterion_add", {"slug": "@call.slug"}, get=STAFF_REDIRECT, post=STAFF),
    Case(
        "forum:criterion_edit",
        {"slug": "@call.slug", "pk": "@criterion.pk"},
        get=STAFF,
        post=STAFF,
    ),
    Case("forum:queue", get=STAFF),
    Case("forum:queue_actions", get=POST_ONLY, post=STAFF_FORM_ERROR),
    Case("forum:queue_export", get=STAFF),
    Case(
        "forum:review_application",
        {"pk": "@application_a.pk"},
        get=(LOGIN, 404, 403, 404, 200, 200),
    ),
    Case(
        "forum:review_score",
        {"pk": "@application_review.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_FORM_ERROR,
    ),
    Case(
        "forum:review_score",
        {"pk": "@application_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 404, 403, 404, 403, 403),
        why="Scoring waits for the review phase, for admins too.",
    ),
    Case(
        "forum:review_conflict",
        {"pk": "@application_review.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_FORM_ERROR,
    ),
    Case(
        "forum:application_decide",
        {"pk": "@application_review.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_FORM_ERROR,
    ),
    Case(
        "forum:application_decide",
        {"pk": "@application_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 404, 403, 404, 403, 403),
    ),
    Case(
        "forum:application_notify",
        {"pk": "@application_decided.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_REDIRECT,
    ),
    Case(
        "forum:application_notify",
        {"pk": "@application_review.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_REFUSED,
        why="Nothing to tell before a decision.",
    ),
    Case(
        "forum:application_pdf", {"pk": "@application_a.pk"}, get=(LOGIN, 404, 403, 404, 200, 200)
    ),
    Case("forum:meeting_list", get=STAFF, post=STAFF),
    Case("forum:meeting_manage", {"pk": "@meeting.pk"}, get=STAFF, post=STAFF),
    Case("forum:meeting_minutes", {"pk": "@meeting.pk"}, get=POST_ONLY, post=STAFF_FORM_ERROR),
    Case("forum:meeting_invite", {"pk": "@meeting.pk"}, get=POST_ONLY, post=STAFF_REDIRECT),
    Case("forum:meeting_attendance", {"pk": "@meeting.pk"}, get=POST_ONLY, post=STAFF_FORM_ERROR),
    # --- Workshops and Tour de France: public pages and participants -------------------
    Case("workshops:list", get=EVERYONE),
    Case("workshops:calendar", get=EVERYONE),
    Case("workshops:detail", {"slug": "@workshop.slug"}, get=EVERYONE),
    Case(
        "workshops:detail",
        {"slug": "@workshop_draft.slug"},
        get=(404, 404, 404, 404, 200, 200),
        why="A draft workshop exists only for DITP staff.",
    ),
    Case("workshops:ics", {"slug": "@workshop.slug"}, get=EVERYONE),
    Case("workshops:ics", {"slug": "@workshop_draft.slug"}, get=(404, 404, 404, 404, 200, 200)),
    Case("workshops:outcome_document", {"slug": "@workshop.slug"}, get=EVERYONE),
    Case(
        "workshops:outcome_document",
        {"slug": "@workshop_unpublished.slug"},
        get=(404, 404, 404, 404, 200, 200),
        why="An outcome not yet published: staff may read it before.",
    ),
    Case("workshops:tour", get=EVERYONE),
    Case(
        "workshops:register",
        {"slug": "@workshop.slug"},
        get=LOGGED_IN,
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case(
        "workshops:register",
        {"slug": "@workshop_draft.slug"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="Nobody registers to a draft workshop, staff included.",
    ),
    Case(
        "workshops:registration_cancel",
        {"pk": "@registration_a.pk"},
        get=(LOGIN, 200, 404, 404, 404, 404),
        post=(LOGIN, 302, 404, 404, 404, 404),
        owner=Role.CITIZEN,
        why="Only the registrant cancels from their space, admins included.",
    ),
    Case(
        "workshops:registration_cancel",
        {"pk": "@registration_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "workshops:cancel_by_token",
        {"token": "@registration_a.token"},
        get=EVERYONE,
        post=(302,) * 6,
        why="The e-mailed link is the credential (no account needed to cancel).",
    ),
    # --- Workshops: pilotage ------------------------------------------------------------
    Case("workshops:staff_list", get=STAFF),
    Case("workshops:staff_create", get=STAFF, post=STAFF),
    Case("workshops:staff_edit", {"slug": "@workshop.slug"}, get=STAFF, post=STAFF),
    Case(
        "workshops:staff_publish",
        {"slug": "@workshop_draft.slug"},
        get=STAFF_REDIRECT,
        post=STAFF_REDIRECT,
    ),
    Case("workshops:staff_cancel", {"slug": "@workshop.slug"}, get=STAFF, post=STAFF),
    Case("workshops:staff_registrations", {"slug": "@workshop.slug"}, get=STAFF),
    Case("workshops:staff_registrations_csv", {"slug": "@workshop.slug"}, get=STAFF),
    Case("workshops:staff_attendance", {"slug": "@workshop.slug"}, get=STAFF),
    Case(
        "workshops:staff_attendance_mark",
        {"slug": "@workshop.slug", "pk": "@registration_a.pk"},
        get=STAFF_REDIRECT,
        post=STAFF_REDIRECT,
    ),
    Case(
        "workshops:staff_attendance_mark",
        {"slug": "@workshop_draft.slug", "pk": "@registration_a.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="A registration reached through another workshop: it does not exist there.",
    ),
    Case("workshops:staff_outcome", {"slug": "@workshop.slug"}, get=STAFF, post=STAFF),
    Case("workshops:staff_tour", get=STAFF),
    Case("workshops:staff_tour_create", get=STAFF, post=STAFF),
    Case("workshops:staff_stop_create", get=STAFF, post=STAFF),
    Case("workshops:staff_stop_edit", {"pk": "@stop.pk"}, get=STAFF, post=STAFF),
    # --- Contributions: public pages and participants ---------------------------------
    Case("contributions:index", get=EVERYONE),
    Case("contributions:consultation", {"slug": "@consultation.slug"}, get=EVERYONE),
    Case("contributions:consultation", {"slug": "@consultation_draft.slug"}, get=(404,) * 6),
    Case("contributions:synthesis", {"slug": "@consultation.slug"}, get=EVERYONE),
    Case(
        "contributions:create",
        {"slug": "@consultation.slug"},
        get=LOGGED_IN,
        post=LOGGED_IN,
    ),
    Case(
        "contributions:create",
        {"slug": "@consultation_draft.slug"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "contributions:detail",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=EVERYONE,
    ),
    Case(
        "contributions:detail",
        {"slug": "@pending_a.consultation.slug", "pk": "@pending_a.pk"},
        get=(404, 200, 404, 404, 200, 200),
        owner=Role.CITIZEN,
        why="Awaiting moderation: its author and the moderators only.",
    ),
    Case(
        "contributions:detail",
        {"slug": "@pending_b.consultation.slug", "pk": "@pending_b.pk"},
        get=(404, 404, 404, 404, 200, 200),
    ),
    Case(
        "contributions:edit",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=(LOGIN, 200, 403, 403, 403, 403),
        post=(LOGIN, 200, 403, 403, 403, 403),
        owner=Role.CITIZEN,
        why="Only the author edits, admins included (ownership is not a privilege).",
    ),
    Case(
        "contributions:edit",
        {"slug": "@consultation.slug", "pk": "@contribution_b.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
    ),
    Case(
        "contributions:edit",
        {"slug": "@consultation_draft.slug", "pk": "@contribution_a.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="A's contribution reached through another consultation: it does not exist there.",
    ),
    Case(
        "contributions:withdraw",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=(LOGIN, 200, 403, 403, 403, 403),
        post=(LOGIN, 302, 403, 403, 403, 403),
        owner=Role.CITIZEN,
    ),
    Case(
        "contributions:withdraw",
        {"slug": "@consultation.slug", "pk": "@contribution_b.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
    ),
    Case(
        "contributions:support",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=(LOGIN, 403, 405, 405, 405, 405),
        post=(LOGIN, 403, 302, 302, 302, 302),
        why="Anyone but its author supports a contribution.",
    ),
    Case(
        "contributions:support",
        {"slug": "@consultation.slug", "pk": "@contribution_b.pk"},
        get=(LOGIN, 405, 405, 405, 405, 405),
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case(
        "contributions:consultation_follow",
        {"slug": "@consultation.slug"},
        get=POST_ONLY,
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case(
        "contributions:consultation_follow",
        {"slug": "@consultation_draft.slug"},
        get=POST_ONLY,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "contributions:follow",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 302, 302, 302, 302, 302),
    ),
    Case(
        "contributions:follow",
        {"slug": "@pending_a.consultation.slug", "pk": "@pending_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 302, 404, 404, 302, 302),
        owner=Role.CITIZEN,
        why="Awaiting moderation: only its author and the moderators may see, so follow, it.",
    ),
    Case(
        "contributions:follow",
        {"slug": "@pending_b.consultation.slug", "pk": "@pending_b.pk"},
        get=POST_ONLY,
        post=(LOGIN, 404, 404, 404, 302, 302),
    ),
    Case(
        "contributions:comment",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=(LOGIN, 302, 302, 302, 302, 302),
        post=LOGGED_IN,
    ),
    Case(
        "contributions:report",
        {"slug": "@consultation.slug", "pk": "@contribution_a.pk"},
        get=LOGGED_IN,
        post=LOGGED_IN,
    ),
    Case(
        "contributions:comment_report",
        {"pk": "@comment_b.pk"},
        get=LOGGED_IN,
        post=LOGGED_IN,
    ),
    Case("contributions:open_data_csv", get=EVERYONE),
    Case("contributions:open_data_json", get=EVERYONE),
    # --- Contributions: pilotage ------------------------------------------------------
    Case("contributions:staff_home", get=STAFF),
    Case("contributions:consultation_create", get=STAFF, post=STAFF),
    Case(
        "contributions:consultation_edit",
        {"slug": "@consultation.slug"},
        get=STAFF,
        post=STAFF,
    ),
    Case("contributions:moderation", get=STAFF, post=STAFF),
    Case("contributions:respond", {"pk": "@contribution_a.pk"}, get=STAFF, post=STAFF),
    Case(
        "contributions:moderate",
        {"pk": "@contribution_a.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF,
        why="Refused (an empty form), staff get the page back; others: 404, as for no id.",
    ),
    Case(
        "contributions:comment_moderate",
        {"pk": "@comment_b.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF,
    ),
    Case("contributions:statement_answer", {"pk": "@statement_a.pk"}, get=STAFF, post=STAFF),
    Case("contributions:my_statements", get=LOGGED_IN),
    Case("contributions:person_block", {"pk": "@citizen_b.pk"}, get=STAFF, post=STAFF),
    Case(
        "contributions:statement",
        {"pk": "@statement_a.pk"},
        get=(LOGIN, 200, 404, 404, 404, 404),
        post=(LOGIN, 200, 404, 404, 404, 404),
        owner=Role.CITIZEN,
        why="A statement of reasons is its author's alone (admins included).",
    ),
    Case(
        "contributions:statement",
        {"pk": "@statement_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    # --- Co-creation of the next plan: calendar, proposals, versions -----------------
    Case("cocreation:index", get=EVERYONE),
    Case("cocreation:open_data_proposals_csv", get=EVERYONE),
    Case("cocreation:open_data_proposals_json", get=EVERYONE),
    Case("cocreation:open_data_versions_csv", get=EVERYONE),
    Case("cocreation:open_data_versions_json", get=EVERYONE),
    Case("cocreation:open_data_amendments_csv", get=EVERYONE),
    Case("cocreation:open_data_opinions_csv", get=EVERYONE),
    Case("cocreation:open_data_responses_csv", get=EVERYONE),
    Case("cocreation:open_data_responses_json", get=EVERYONE),
    Case("cocreation:open_data_atom", get=EVERYONE),
    Case("cocreation:process", {"slug": "@process.plan.slug"}, get=EVERYONE),
    Case(
        "cocreation:process",
        {"slug": "@process_unpublished.plan.slug"},
        get=HIDDEN_STAFF,
        why="A calendar not yet published is for DITP staff only.",
    ),
    Case("cocreation:proposal_list", {"slug": "@process.plan.slug"}, get=EVERYONE),
    Case("cocreation:proposal_list", {"slug": "@process_unpublished.plan.slug"}, get=HIDDEN_STAFF),
    Case(
        "cocreation:proposal_create",
        {"slug": "@process.plan.slug"},
        get=LOGGED_IN,
        post=LOGGED_IN,
        why="Anyone with an account proposes, from the publication of the calendar.",
    ),
    Case(
        "cocreation:proposal_create",
        {"slug": "@process_unpublished.plan.slug"},
        get=PRIVATE_STAFF_REFUSED,
        post=PRIVATE_STAFF_REFUSED,
    ),
    Case(
        "cocreation:proposal_create",
        {"slug": "@process_deliberation.plan.slug"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="After the proposals phase, no new proposal.",
    ),
    Case(
        "cocreation:proposal_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=EVERYONE,
    ),
    Case(
        "cocreation:proposal_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_a.pk"},
        get=(404, 404, 200, 404, 404, 404),
        owner=Role.ASSOCIATION,
        why="A draft is private to its author, admins included.",
    ),
    Case(
        "cocreation:proposal_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=(404,) * 6,
    ),
    Case(
        "cocreation:proposal_detail",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_a.pk"},
        get=(404,) * 6,
        why="A's proposal reached through another co-creation: it does not exist there.",
    ),
    Case(
        "cocreation:proposal_edit",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_a.pk"},
        get=(LOGIN, 404, 200, 404, 404, 404),
        post=(LOGIN, 404, 200, 404, 404, 404),
        owner=Role.ASSOCIATION,
    ),
    Case(
        "cocreation:proposal_edit",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:proposal_edit",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=(LOGIN, 403, 200, 403, 403, 403),
        post=(LOGIN, 403, 200, 403, 403, 403),
        owner=Role.ASSOCIATION,
        why="Only its author adds a version, during the proposals phase.",
    ),
    Case(
        "cocreation:proposal_edit",
        {"slug": "@process.plan.slug", "pk": "@proposal_b.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
    ),
    Case(
        "cocreation:proposal_edit",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="In deliberation, the text under deliberation no longer changes, even for A.",
    ),
    Case(
        "cocreation:proposal_submit",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_a.pk"},
        get=(LOGIN, 404, 200, 404, 404, 404),
        post=(LOGIN, 404, 302, 404, 404, 404),
        owner=Role.ASSOCIATION,
    ),
    Case(
        "cocreation:proposal_submit",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:proposal_submit",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="Already submitted: submitted once.",
    ),
    Case(
        "cocreation:proposal_coauthors",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=(LOGIN, 403, 200, 403, 403, 403),
        post=(LOGIN, 403, 400, 403, 403, 403),
        owner=Role.ASSOCIATION,
        why="Only its author invites co-authors (an empty address is refused: 400).",
    ),
    Case(
        "cocreation:proposal_coauthors",
        {"slug": "@process.plan.slug", "pk": "@proposal_b.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
    ),
    Case(
        "cocreation:proposal_coauthors",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:proposal_coauthors",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="Once the proposals phase is over, no new co-author.",
    ),
    Case(
        "cocreation:proposal_amend",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=(LOGIN, 200, 403, 200, 200, 200),
        post=(LOGIN, 400, 403, 400, 400, 400),
        why="Anyone with an account amends someone else's proposal; its author edits it.",
    ),
    Case(
        "cocreation:proposal_amend",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:proposal_amend",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
    ),
    Case(
        "cocreation:proposal_support",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 302, 403, 302, 302, 302),
        why="Anyone with an account supports someone else's submitted proposal, while the "
        "public takes part; its author does not support their own.",
    ),
    Case(
        "cocreation:proposal_support",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=POST_ONLY,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:proposal_support",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=POST_ONLY,
        post=(LOGIN, 302, 403, 302, 302, 302),
    ),
    Case(
        "cocreation:proposal_opinion",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=(LOGIN, 403, 200, 403, 403, 403),
        post=(LOGIN, 403, 400, 403, 403, 403),
        why="In deliberation, only a member of the Forum ouvert (association A represents "
        "one) gives its opinion; an empty opinion is refused (400). Staff and admins are "
        "not members.",
    ),
    Case(
        "cocreation:proposal_opinion",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="Outside the deliberation phase, no opinion, even from a member.",
    ),
    Case(
        "cocreation:proposal_opinion",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="A draft is private: no opinion, and a 404 as for a missing id.",
    ),
    Case(
        "cocreation:proposal_respond",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=STAFF,
        post=STAFF_FORM_ERROR,
        why="Once the proposals phase is over, DITP staff answer every proposal; an empty "
        "response is refused (400).",
    ),
    Case(
        "cocreation:proposal_respond",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="During the proposals phase the text still changes: no response yet.",
    ),
    Case(
        "cocreation:proposal_respond",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="A draft is private, staff included: a 404 as for a missing id.",
    ),
    Case(
        "cocreation:proposal_promote",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_retained.pk"},
        get=STAFF,
        post=STAFF_REDIRECT,
        why="Staff turn a retained proposal into a draft commitment (302 to it).",
    ),
    Case(
        "cocreation:proposal_promote",
        {"slug": "@process_deliberation.plan.slug", "pk": "@proposal_deliberation_a.pk"},
        get=NOBODY_BUT_LOGIN,
        post=NOBODY_BUT_LOGIN,
        why="Only a retained proposal becomes a commitment.",
    ),
    Case(
        "cocreation:proposal_promote",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
    ),
    Case(
        "cocreation:amendment_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk", "amendment": "@amendment_a.pk"},
        get=EVERYONE,
        post=(403, 403, 400, 403, 403, 403),
        why="Public; only the proposal's authors decide (an empty decision: 400); the row "
        "below tries A on B's proposal's amendment.",
    ),
    Case(
        "cocreation:amendment_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_b.pk", "amendment": "@amendment_b.pk"},
        get=EVERYONE,
        post=(403,) * 6,
    ),
    Case(
        "cocreation:amendment_detail",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk", "amendment": "@amendment_b.pk"},
        get=(404,) * 6,
        why="B's amendment reached through A's proposal: it does not exist there.",
    ),
    Case(
        "cocreation:coauthor_accept",
        {"token": "@invitation_token"},
        get=LOGGED_IN,
        why="Whoever holds the e-mailed link, once logged in, is shown the invitation.",
    ),
    Case(
        "cocreation:coauthor_accept",
        {"token": "@forged_token"},
        get=ANONYMOUS_LOGIN_ELSE_404,
        post=ANONYMOUS_LOGIN_ELSE_404,
        why="A forged or altered link is a missing page.",
    ),
    Case(
        "cocreation:proposal_version",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk", "number": 1},
        get=EVERYONE,
    ),
    Case(
        "cocreation:proposal_version",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_a.pk", "number": 1},
        get=(404,) * 6,
        why="A draft has no public version, even for its author.",
    ),
    Case(
        "cocreation:proposal_version",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk", "number": 1},
        get=(404,) * 6,
    ),
    Case(
        "cocreation:proposal_diff",
        {"slug": "@process.plan.slug", "pk": "@proposal_a.pk"},
        get=EVERYONE,
    ),
    Case(
        "cocreation:proposal_diff",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_a.pk"},
        get=(404,) * 6,
        why="A draft has no version to compare, even for its author.",
    ),
    Case(
        "cocreation:proposal_diff",
        {"slug": "@process.plan.slug", "pk": "@proposal_draft_b.pk"},
        get=(404,) * 6,
    ),
    Case("cocreation:staff_home", get=STAFF, post=STAFF),
    Case("cocreation:staff_calendar", {"slug": "@process.plan.slug"}, get=STAFF, post=STAFF),
    Case(
        "cocreation:staff_publish",
        {"slug": "@process_unpublished.plan.slug"},
        get=STAFF,
        post=STAFF_FORM_ERROR,
        why="Participation opened 5 days ago: refused without a written reason.",
    ),
    # --- Reports ----------------------------------------------------------------------
    Case("reports:public_list", get=EVERYONE),
    Case(
        "reports:download",
        {"pk": "@report_published.pk", "filename": "rapport.pdf"},
        get=EVERYONE,
    ),
    Case(
        "reports:download",
        {"pk": "@report_draft.pk", "filename": "rapport.pdf"},
        get=HIDDEN_STAFF,
        why="A report under review is for DITP staff until it is published.",
    ),
    Case("reports:staff_list", get=STAFF, post=STAFF),
    Case("reports:staff_detail", {"pk": "@report_draft.pk"}, get=PRIVATE_STAFF),
    Case(
        "reports:staff_detail",
        {"pk": "@report_published.pk"},
        get=STAFF,
        why="A published report is public: non-staff are refused (403), not told it is missing.",
    ),
    Case("reports:staff_state", {"pk": "@report_draft.pk"}, get=PRIVATE_STAFF_REDIRECT),
    Case(
        "reports:staff_plan_documents",
        {"slug": "@plan.slug"},
        get=POST_ONLY,
        post=STAFF_REDIRECT,
        why="Staff generate the plan's documents, then follow them on its back-office page.",
    ),
    Case(
        "reports:staff_publish",
        {"pk": "@report_draft.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_REDIRECT,
    ),
    Case(
        "reports:staff_retry",
        {"pk": "@report_draft.pk"},
        get=POST_ONLY,
        post=PRIVATE_STAFF_REDIRECT,
    ),
    # --- Django admin: the index stands for the whole exempt prefix --------------------
    Case(
        "admin:index",
        get=(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
        why="Only admins (is_staff, with 2FA) enter the Django admin.",
    ),
    Case(
        "admin:core_user_role",
        {"object_id": "@citizen_b.pk"},
        get=(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
        post=(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200),
        why="The project's own admin page (a role, through the audited service): admins only.",
    ),
]

#: URL prefixes of third-party apps that the matrix does not walk, and why.
EXEMPT: dict[str, str] = {
    "compte/": (
        "django-allauth's account and MFA pages (login, sign-up, password, e-mail, 2FA): "
        "anonymous forms or allauth's own login check; their configuration (lockout, reset "
        "throttle, staff 2FA) is tested in tests/security/test_authentication.py. The "
        "project's own login view and the ProConnect / FranceConnect views under this "
        "prefix are in the table; allauth's third-party pages (connections, signup) are "
        "allauth's."
    ),
    "admin/": (
        "Django admin: every page is gated by the admin site itself (is_staff and model "
        "permissions) and by the staff 2FA middleware; the index row above checks the gate."
    ),
}
