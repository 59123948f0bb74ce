"""Helpers shared by this app's views: object loaders for permissions, errors to forms."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.cache import patch_vary_headers

from ..models import Application, Attachment, Call, Meeting


def get_call(request, slug: str, **kwargs) -> Call:
    return get_object_or_404(Call, slug=slug)


def get_application(request, pk: int, **kwargs) -> Application:
    return get_object_or_404(
        Application.objects.select_related("call", "college", "departement"), pk=pk
    )


def get_attachment(request, pk: int, attachment_pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.select_related("application__call"),
        pk=attachment_pk,
        application_id=pk,
    )


def get_meeting(request, pk: int, **kwargs) -> Meeting:
    return get_object_or_404(Meeting, pk=pk)


def wants_fragment(request) -> bool:
    """An htmx request for a part of the page (not a history restore, which needs it all)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def vary_on_htmx(response):
    patch_vary_headers(response, ("HX-Request",))
    return response
