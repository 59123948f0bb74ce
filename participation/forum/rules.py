"""Who may do what in the Forum ouvert, and in which phase of a call (django-rules).

Permissions rest on the role for staff work, and on *ownership* of the application for
applicants: the person who made an application sees it and its attachments, nobody else
but DITP staff and admins. The clock is read through ``Call.phase_at`` so that a call
past its closing time refuses applications even before the periodic task records it.
"""

from __future__ import annotations

import rules

from forum_ouvert.core.access import abilities
from forum_ouvert.core.rules import is_association, is_citizen, is_staff_or_admin

from .models import DECISIONS, IN_REVIEW, Application, ApplicationStatus, Attachment, CallPhase

#: Who may apply for an organisation: citizens acting for one, and representatives.
may_apply_for_organisation = is_citizen | is_association


def _call_of(obj):
    if isinstance(obj, Application):
        return obj.call
    if isinstance(obj, Attachment):
        return obj.application.call
    return obj


def _application_of(obj):
    return obj.application if isinstance(obj, Attachment) else obj


@rules.predicate
def call_is_public(user, call) -> bool:
    """The call has left the draft stage."""
    return call is not None and _call_of(call).phase_at() != CallPhase.DRAFT


@rules.predicate
def call_accepts_applications(user, obj) -> bool:
    """The call is open and, by the server's clock, not yet closed."""
    return obj is not None and _call_of(obj).accepts_applications()


@rules.predicate
def call_in_review(user, obj) -> bool:
    """Staff have started the review, and results are not published yet."""
    return obj is not None and _call_of(obj).phase_at() == CallPhase.REVIEW


@rules.predicate
def call_results_not_published(user, obj) -> bool:
    return obj is not None and _call_of(obj).phase_at() != CallPhase.PUBLISHED


@rules.predicate
def owns_application(user, obj) -> bool:
    """The person who made the application (or whose attachment it is)."""
    application = _application_of(obj)
    return (
        application is not None
        and user.is_authenticated
        and application.applicant_id is not None
        and application.applicant_id == user.pk
    )


@rules.predicate
def application_is_open(user, application) -> bool:
    """A draft, or submitted and not decided: what an applicant may still change."""
    return application is not None and application.status in (
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
    )


@rules.predicate
def application_is_draft(user, application) -> bool:
    return application is not None and application.status == ApplicationStatus.DRAFT


@rules.predicate
def application_in_review(user, application) -> bool:
    """Submitted (decided or not): what reviewers score and decide on."""
    return application is not None and application.status in IN_REVIEW


@rules.predicate
def application_is_decided(user, application) -> bool:
    return application is not None and application.status in DECISIONS


# Public pages.
rules.add_perm("forum.view_call", call_is_public | is_staff_or_admin)

# Applicants.
rules.add_perm("forum.apply", may_apply_for_organisation & call_accepts_applications)
rules.add_perm("forum.view_application", owns_application | is_staff_or_admin)
rules.add_perm(
    "forum.change_application",
    owns_application & application_is_open & call_accepts_applications,
)
rules.add_perm(
    "forum.submit_application",
    owns_application & application_is_draft & call_accepts_applications,
)
rules.add_perm(
    "forum.withdraw_application",
    owns_application & application_is_open & call_accepts_applications,
)
rules.add_perm("forum.view_attachment", owns_application | is_staff_or_admin)

# Reviewers (DITP staff and admins).
rules.add_perm("forum.review", is_staff_or_admin)
rules.add_perm(
    "forum.score_application", is_staff_or_admin & application_in_review & call_in_review
)
rules.add_perm(
    "forum.decide_application", is_staff_or_admin & application_in_review & call_in_review
)
rules.add_perm("forum.notify_decision", is_staff_or_admin & application_is_decided & call_in_review)
rules.add_perm("forum.manage_calls", is_staff_or_admin)
rules.add_perm("forum.change_call", is_staff_or_admin & call_results_not_published)
rules.add_perm("forum.manage_meetings", is_staff_or_admin)


def application_abilities(user, application: Application) -> dict[str, bool]:
    """What ``user`` may do with ``application``, for templates and views alike (asked
    through ``core.access``: admins are bound by the phases of a call like DITP staff)."""
    return abilities(
        user,
        application,
        **{
            name: f"forum.{name}_application"
            for name in ("view", "change", "submit", "withdraw", "score", "decide")
        },
        notify="forum.notify_decision",
    )
