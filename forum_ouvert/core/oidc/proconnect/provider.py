"""ProConnect (formerly AgentConnect): public agents, identified by their administration."""

import json

from ..base import StateProvider


class ProConnectProvider(StateProvider):
    id = "proconnect"
    name = "ProConnect"
    # ProConnect's documented scopes; any authorize parameter it does not know is refused.
    scope = (
        "openid",
        "given_name",
        "usual_name",
        "email",
        "uid",
        "siret",
        "idp_id",
        "organizational_unit",
    )
    algorithms = ("RS256", "ES256")
    kept_claims = ("email", "given_name", "usual_name", "siret", "organizational_unit", "idp_id")
    # The address is the agent's professional one, given by their administration's own
    # identity provider: ProConnect vouches for it.
    vouches_for_email = True
    about_url = "https://www.proconnect.gouv.fr/"
    button_class = "fo-connect--proconnect"

    def authorize_params(self) -> dict:
        # amr (pwd, mfa, totp…) tells whether the agent used a second factor.
        return {
            "acr_values": "eidas1",
            "claims": json.dumps({"id_token": {"amr": {"essential": True}}}),
        }

    def second_factor(self, id_token: dict) -> bool:
        # ProConnect's amr values: pwd, mail, totp, pop (a possession factor), mfa.
        amr = id_token.get("amr") or []
        return bool({"mfa", "totp", "pop"} & set(amr if isinstance(amr, list) else [amr]))

    def display_name(self, userinfo: dict) -> str:
        return " ".join(p for p in (userinfo.get("given_name"), userinfo.get("usual_name")) if p)


provider_classes = [ProConnectProvider]
