"""Role predicates every app composes into its own permissions (django-rules)."""

import rules

from .choices import Role


@rules.predicate
def is_active_user(user) -> bool:
    """A logged-in, active account."""
    return bool(user and user.is_authenticated and user.is_active)


def _has_role(*roles: str):
    @rules.predicate(name=f"has_role_{'_or_'.join(roles)}")
    def predicate(user) -> bool:
        return is_active_user(user) and user.role in roles

    return predicate


is_citizen = _has_role(Role.CITIZEN)
is_association = _has_role(Role.ASSOCIATION)
is_lead = _has_role(Role.LEAD)
is_ditp_staff = _has_role(Role.STAFF)
is_admin = _has_role(Role.ADMIN)
#: DITP staff or admin: runs the plan, reviews the AMI, moderates, publishes reports.
is_staff_or_admin = is_ditp_staff | is_admin

rules.add_perm("core.access_back_office", is_staff_or_admin | is_lead)
rules.add_perm("core.access_staff", is_staff_or_admin)
# « Rester connecté »: whoever's session ends after an idle time (StaffSecurityMiddleware).
rules.add_perm("core.keep_session", is_staff_or_admin | is_lead)
