"""Small includes other pages use: {% load quality %} then {% complaint_quality complaint %}
on the complaint page and {% quality_work_queue %} on "my work"."""

from django import template

from accounts.roles import Role
from complaints.models import Complaint

from ..models import SurveyInvitation
from ..selectors import can_classify, classification_of, related_complaints, work_queue

register = template.Library()


@register.inclusion_tag("quality/includes/complaint_quality.html", takes_context=True)
def complaint_quality(context: template.Context, complaint: Complaint) -> dict[str, object]:
    user = context["request"].user
    classification = classification_of(complaint)
    may_classify = can_classify(user, complaint)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "complaint": complaint,
        "classification": classification,
        "may_classify": may_classify,
        "is_manager": user.has_role(Role.QUALITY_MANAGER),
        # Without a query when the complaint page's own query found none (has_links,
        # has_corrective_actions: complaints.views.section_flags).
        "related": related_complaints(user, complaint) if getattr(complaint, "has_links", True) else [],
        # Only shown to whoever may classify.
        "actions": (
            list(complaint.corrective_actions.all())
            if may_classify and getattr(complaint, "has_corrective_actions", True)
            else []
        ),
        "survey": (
            SurveyInvitation.objects.filter(complaint=complaint).first()
            if getattr(complaint, "has_survey", True)
            else None
        ),
    }


@register.inclusion_tag("quality/includes/work_queue.html", takes_context=True)
def quality_work_queue(context: template.Context) -> dict[str, object]:
    return {"queue": work_queue(context["request"].user)}
