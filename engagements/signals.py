"""What engagements announces to the floors above it, which it never imports.

``plan_published`` is sent by ``services.plan_save``, inside its transaction, when a plan
under co-construction becomes the plan in force (« En cours de mise en œuvre »): the
reports floor then prepares the documents published with it (issue 16, item 8). Sent
with ``send``, not ``send_robust``: a receiver that fails undoes the publication, so that
a plan is never published without what goes with it.
"""

from django.dispatch import Signal

#: ``plan_published.send(sender=ActionPlan, plan=..., actor=...)``
plan_published = Signal()
