"""Writes of this app: keyword-only services, atomic, audited (split by subdomain)."""

from .blocking import person_block, person_unblock
from .consultations import consultation_save
from .contributions import (
    COMMENTS_PER_HOUR,
    CONTRIBUTIONS_PER_HOUR,
    comment_post,
    contribution_edit,
    contribution_submit,
    contribution_withdraw,
    report_create,
    support_add,
    support_remove,
)
from .moderation import (
    Recorded,
    comment_moderate,
    contribution_moderate,
    moderation_bulk,
    reports_dismiss,
    response_notify,
    response_record,
    response_set,
    statement_answer,
)
from .record import attestation_issue, forget_user
from .statements import notify_statement, statement_contest, statement_mail

__all__ = [
    "COMMENTS_PER_HOUR",
    "CONTRIBUTIONS_PER_HOUR",
    "attestation_issue",
    "comment_moderate",
    "comment_post",
    "consultation_save",
    "contribution_edit",
    "contribution_moderate",
    "contribution_submit",
    "contribution_withdraw",
    "forget_user",
    "moderation_bulk",
    "person_block",
    "person_unblock",
    "report_create",
    "reports_dismiss",
    "Recorded",
    "response_notify",
    "response_record",
    "response_set",
    "notify_statement",
    "statement_answer",
    "statement_contest",
    "statement_mail",
    "support_add",
    "support_remove",
]
