"""Fictitious progress on the real plan, for the demonstration (see ``portal.demo``)."""

from __future__ import annotations

from engagements.models import Commitment


def seed(*, users: dict) -> None:
    """Attach the demo commitment lead to commitments 3 and 5 of the current plan."""
    lead = users["lead"]
    for commitment in Commitment.objects.filter(plan__is_current=True, number__in=[3, 5]):
        commitment.leads.add(lead)
