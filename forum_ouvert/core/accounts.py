"""allauth views adapted to the platform's rules, and what allauth knows of an address."""

from allauth.account.models import EmailAddress
from allauth.account.views import LoginView as AllauthLoginView
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils.translation import gettext as _

from .durations import duration_text


def lockout_seconds() -> int:
    """How long a lockout lasts: the longest window of the login limit (``5/15m/key`` →
    900 s), read with allauth's own parser so that the message and ``Retry-After`` say
    the wait allauth applies."""
    from allauth.core.internal.ratelimit import parse_rates

    rates = parse_rates(settings.ACCOUNT_RATE_LIMITS.get("login_failed"))
    return int(max((rate.duration for rate in rates), default=60))


def verified_email(user) -> str | None:
    """The account's e-mail address if the person proved it is theirs (allauth's
    confirmation link), else None: the only address a message about the account may go to
    on the account's word alone. None for a missing or deactivated account."""
    if user is None or not user.is_active or not user.email:
        return None
    confirmed = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
    return user.email if confirmed.exists() else None


class LoginView(AllauthLoginView):
    """Too many failed attempts for an account: the form says so, and for how long, with
    HTTP 429 (allauth's message gave no duration, issue 22)."""

    def form_invalid(self, form):
        codes = {e.code for errors in form.errors.as_data().values() for e in errors}
        locked = "too_many_login_attempts" in codes
        if locked:
            wait = lockout_seconds()
            message = _(
                "Trop de tentatives de connexion : pour protéger ce compte, la connexion "
                "est suspendue. Réessayez dans %(wait)s."
            ) % {"wait": duration_text(wait)}
            form._errors = ErrorDict({NON_FIELD_ERRORS: form.error_class([message])})
        response = super().form_invalid(form)
        if locked:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
