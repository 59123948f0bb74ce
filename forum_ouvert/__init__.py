"""Forum ouvert: the web platform of France's open-government forum."""

from .celery import app as celery_app

__all__ = ("celery_app",)
