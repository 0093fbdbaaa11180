from django import template

from organisation import privacy

register = template.Library()


@register.simple_tag
def privacy_purpose() -> str:
    return privacy.purpose_sentence()


@register.simple_tag
def privacy_summary(organisation: object) -> str:
    return privacy.privacy_summary(organisation)  # type: ignore[arg-type]
