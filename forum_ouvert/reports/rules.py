"""Who may request, read and publish reports."""

import rules

from forum_ouvert.core.rules import is_staff_or_admin


@rules.predicate
def is_published_report(user, report) -> bool:
    return report is not None and report.is_published


rules.add_perm("reports.manage_reports", is_staff_or_admin)
rules.add_perm("reports.download_report", is_published_report | is_staff_or_admin)
