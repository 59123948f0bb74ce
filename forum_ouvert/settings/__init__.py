"""Settings: ``development`` (default for manage.py), ``test`` (pytest) and ``production``."""
