"""FranceConnect v2: citizens, identified by an identity provider of the State."""

from ..base import StateProvider


class FranceConnectProvider(StateProvider):
    id = "franceconnect"
    name = "FranceConnect"
    # Only what the account needs (name and e-mail): no birth date nor place is asked.
    scope = ("openid", "given_name", "family_name", "email")
    algorithms = ("ES256", "RS256")
    kept_claims = ("email", "given_name", "family_name")
    about_url = "https://franceconnect.gouv.fr/"
    # eidas1 is asked; a higher level is as good.
    acr_values = ("eidas1", "eidas2", "eidas3")

    def authorize_params(self) -> dict:
        return {"acr_values": "eidas1"}


provider_classes = [FranceConnectProvider]
