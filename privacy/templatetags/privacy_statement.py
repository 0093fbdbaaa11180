from django import template

from privacy.statement import Statement, statement

register = template.Library()


@register.simple_tag
def privacy_statement() -> Statement:
    """{% privacy_statement as statement %}: the texts every privacy notice draws from."""
    return statement()
