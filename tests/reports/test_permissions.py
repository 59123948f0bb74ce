"""Staff and admins request and read unpublished reports; anyone downloads published ones."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from forum_ouvert.reports.models import Report, ReportState
from tests.conftest import ROLES

STAFF_ROLES = {"ditp", "admin"}


@pytest.fixture
def reports(plan):
    def make(published):
        report = Report.objects.create(
            kind="avancement",
            plan=plan,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 6, 30),
            title="Rapport publié" if published else "Rapport en relecture",
            state=ReportState.READY,
            is_published=published,
        )
        report.pdf.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        report.annex_csv.save("a.csv", ContentFile(b"numero\n1\n"), save=False)
        report.save()
        return report

    return make(True), make(False)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_report_pages_by_role(client_for, reports, role):
    """Staff pages: staff only (login for anonymous, 403 for others, 404 on a draft they may
    not see); published files: all."""
    published, draft = reports
    client, _ = client_for(role)
    staff = role in STAFF_ROLES
    staff_urls = [
        reverse("reports:staff_list"),
        reverse("reports:staff_detail", kwargs={"pk": draft.pk}),
        reverse("reports:staff_state", kwargs={"pk": draft.pk}),
    ]
    # A draft is private: who may not see it gets 404, as for a report that does not exist.
    refused = {staff_urls[0]: 403, staff_urls[1]: 404, staff_urls[2]: 404}
    for url in staff_urls:
        response = client.get(url)
        if staff and url == staff_urls[2]:
            # The polled state, opened without htmx, leads to the report's page.
            assert response.status_code == 302 and response.url == staff_urls[1]
        elif staff:
            assert response.status_code == 200, url
        elif role is None:
            assert response.status_code == 302 and "/compte/login/" in response.url
        else:
            assert response.status_code == refused[url], url
    if not staff and role is not None:
        published_page = reverse("reports:staff_detail", kwargs={"pk": published.pk})
        assert client.get(published_page).status_code == 403
    assert client.get(reverse("reports:public_list")).status_code == 200
    public_pdf = reverse("reports:download", kwargs={"pk": published.pk, "filename": "rapport.pdf"})
    assert client.get(public_pdf).status_code == 200
    draft_pdf = reverse("reports:download", kwargs={"pk": draft.pk, "filename": "rapport.pdf"})
    response = client.get(draft_pdf)
    # A draft's PDF looks missing to everyone else, anonymous visitors included.
    assert response.status_code == (200 if staff else 404)
    for action in ("staff_publish", "staff_retry"):
        response = client.post(
            reverse(f"reports:{action}", kwargs={"pk": draft.pk}), {"publier": "1"}
        )
        assert response.status_code in ((302,) if staff or role is None else (404,))
    draft.refresh_from_db()
    assert draft.is_published == staff


@pytest.mark.django_db
def test_public_list_shows_only_published_reports(client, reports):
    html = client.get(reverse("reports:public_list")).content.decode()
    assert "Rapport publié" in html and "Rapport en relecture" not in html


@pytest.mark.django_db
def test_unknown_report_file_is_a_404(client, reports):
    published, _ = reports
    base = reverse("reports:download", kwargs={"pk": published.pk, "filename": "rapport.pdf"})
    assert client.get(base.replace("rapport.pdf", "..%2F..%2Fetc%2Fpasswd")).status_code == 404
    assert client.get(base.replace("rapport.pdf", "settings.py")).status_code == 404
    url = reverse("reports:download", kwargs={"pk": published.pk, "filename": "annexe.json"})
    assert client.get(url).status_code == 404  # no JSON stored for this one
