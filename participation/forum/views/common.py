"""Helpers shared by this app's views: object loaders for permissions, errors to forms."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

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
