"""Small includes other pages use: {% load quality %} then {% complaint_quality complaint %}
on the complaint page and {% quality_work_queue %} on "my work"."""

from django import template

from accounts.roles import Role
from complaints.models import Complaint

from ..forms import ClassificationForm
from ..models import SurveyInvitation
from ..selectors import can_classify, classification_of, related_complaints, work_queue

register = template.Library()


@register.inclusion_tag("quality/includes/complaint_quality.html", takes_context=True)
def complaint_quality(context: template.Context, complaint: Complaint) -> dict:
    user = context["request"].user
    classification = classification_of(complaint)
    may_classify = can_classify(user, complaint)
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "complaint": complaint,
        "classification": classification,
        "classification_form": ClassificationForm(current=classification) if may_classify else None,
        "may_classify": may_classify,
        "is_manager": user.has_role(Role.QUALITY_MANAGER),
        "related": related_complaints(user, complaint),
        "actions": list(complaint.corrective_actions.all()),
        "survey": SurveyInvitation.objects.filter(complaint=complaint).first(),
    }


@register.inclusion_tag("quality/includes/work_queue.html", takes_context=True)
def quality_work_queue(context: template.Context) -> dict:
    return {"queue": work_queue(context["request"].user)}
