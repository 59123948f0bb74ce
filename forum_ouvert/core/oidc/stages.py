"""allauth's login stages, as the State's logins need them."""

from __future__ import annotations

from allauth.mfa import stages

from ..audit import audit_log
from .base import provider_second_factor


class AuthenticateStage(stages.AuthenticateStage):
    """allauth's « enter your code » stage (the local TOTP), passed when the login comes
    from a provider that says it used a second factor (ProConnect's ``amr``: ``mfa``,
    ``totp`` or ``pop``): that login already counts as one for the staff rule, asking
    for a second code after it would make ProConnect's useless. The pass is audited."""

    def handle(self) -> tuple:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if (
            sociallogin is not None
            and provider_second_factor(sociallogin)
            and self._should_handle(self.request)
        ):
            audit_log(
                actor=self.login.user,
                action="core.sso.second_factor",
                target=self.login.user,
                changes={
                    "fournisseur": sociallogin.account.provider,
                    # One string, as ProConnect spells it (« pwd mfa »): a list in an
                    # audit row reads as [before, after].
                    "amr": " ".join(_amr(sociallogin.account.extra_data)),
                },
            )
            return None, True
        return super().handle()


def _amr(extra_data: dict | None) -> list[str]:
    amr = (extra_data or {}).get("amr") or []
    return [str(v) for v in (amr if isinstance(amr, list) else [amr])]
