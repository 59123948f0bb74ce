"""``make scan --no-rate-limits``: the production settings with the rate limits lifted, so
that every payload sqlmap sends reaches the form's code. Under the limits, a good share of
its requests to the sign-up, login and comment forms get 429 before any code runs, and
those answers, changing under it, make it see candidates it must then rule out. The limits
themselves are tested in ``make test`` and under load in ``make verify``. Never used
outside the scan's throw-away site.
"""

from .production import *  # noqa: F403

RATE_LIMITS_ENABLED = False
ACCOUNT_RATE_LIMITS = False
