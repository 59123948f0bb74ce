from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Top floor: daily snapshots, accountability reports (PDF) and the staff dashboard."""

    name = "forum_ouvert.reports"
    label = "reports"
    verbose_name = "Rapports"

    def ready(self):
        from forum_ouvert.core.extensions import register_section

        from .sections import (
            commitment_progress_section,
            plan_documents_section,
            plan_documents_staff_section,
        )

        register_section("commitment_detail", commitment_progress_section)
        register_section("plan_detail", plan_documents_section)
        register_section("bo_plan_edit", plan_documents_staff_section)

        from engagements.signals import plan_published

        from .services import documents_at_publication

        plan_published.connect(documents_at_publication, dispatch_uid="fo-plan-documents")
