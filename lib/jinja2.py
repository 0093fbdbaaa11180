"""Jinja2, where a page renders many small pieces and the Django template engine was measured
to be too slow for the page's speed floor (docs/architecture.md): the rows of the complaint
tables and the complaint page's timeline, templates in an app's `jinja2/` folder, autoescaped
as Django's templates are, included with `render_fragment()`. Forms keep Django's own renderer."""

from typing import Any

from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment


def environment(**options: Any) -> Environment:
    options = {key: value for key, value in options.items() if key != "autoescape"}
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["url"] = reverse
    return env


def render_fragment(name: str, context: dict[str, Any]) -> SafeString:
    """A Jinja2 template's output for inclusion in a Django template. Both engines escape what
    they insert, so the fragment is safe as it comes."""
    html = engines["jinja2"].get_template(name).render(context)
    # Reviewed for the bandit scan: Jinja2 autoescapes every value the template inserts.
    return mark_safe(html)  # nosec
