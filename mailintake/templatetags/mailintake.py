from django import template

from accounts.roles import Role

from ..models import InboundMessage, Outcome

register = template.Library()


@register.inclusion_tag("mailintake/held_notice.html", takes_context=True)
def held_mail_notice(context: template.Context) -> dict[str, object]:
    """On the quality manager's "my work": e-mail held for a decision, if any."""
    user = context["request"].user
    held = user.has_role(Role.QUALITY_MANAGER) and InboundMessage.objects.filter(outcome=Outcome.HELD).exists()
    return {"held": held}
