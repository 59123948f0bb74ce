"""Writes of this app: keyword-only services, atomic, audited (split by subdomain)."""

from .amendments import amendment_accept, amendment_decline, amendment_propose
from .coauthors import coauthor_accept, coauthor_invite
from .opinions import opinion_give
from .process import calendar_publish, phase_save, process_create
from .proposals import VersionConflict, proposal_create, proposal_edit, proposal_submit
from .responses import proposal_merge, proposal_promote, proposal_respond
from .supports import proposal_support_add, proposal_support_remove

__all__ = [
    "VersionConflict",
    "amendment_accept",
    "amendment_decline",
    "amendment_propose",
    "coauthor_accept",
    "coauthor_invite",
    "calendar_publish",
    "opinion_give",
    "phase_save",
    "process_create",
    "proposal_create",
    "proposal_edit",
    "proposal_merge",
    "proposal_promote",
    "proposal_respond",
    "proposal_submit",
    "proposal_support_add",
    "proposal_support_remove",
]
