"""``make verify``: the production settings, plus a hello-world view at ``/__verify__/hello``.

The hello-world view is the yardstick of the throughput check: the same gunicorn serves the
real pages and the cheapest possible Django response. Never used outside ``make verify``.
"""

from .production import *  # noqa: F403

ROOT_URLCONF = "forum_ouvert.devtools.verify.urls"
