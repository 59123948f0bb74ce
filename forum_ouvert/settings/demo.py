"""``make run``: the development settings served as production serves them, but labelled
and seeded as a demonstration (never the production settings: ``seed_demo`` refuses
those).

``DEBUG`` is off, so a missing page, a refusal or an error shows the site's French
404, 403 and 500 pages; whitenoise serves the static files straight from the apps'
folders (no ``collectstatic`` step). The web server, a Celery worker and beat are started
together by ``forum_ouvert.devtools.run``.
"""

from .development import *  # noqa: F403
from .development import STATIC_ROOT, env_bool

DEBUG = env_bool("DEBUG", False)
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
