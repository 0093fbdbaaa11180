"""{% complaint_rows complaints %}: the rows of a complaint table.

"My work", the complaint list and the search results show up to fifty complaints with seven
cells each; the rows come from the Jinja2 template complaints/complaint_rows.html (lib.jinja2),
because through the Django template engine they kept the pages above their speed floor
(docs/architecture.md, "Rendering and speed")."""

from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from complaints.models import Channel, Complaint, Status
from deadlines.templatetags.deadlines import Badges
from lib.jinja2 import render_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def complaint_rows(context: template.Context, complaints: Iterable[Complaint]) -> SafeString:
    return render_fragment(
        "complaints/complaint_rows.html",
        {
            "complaints": complaints,
            "badges": Badges.of(context),
            # The labels in the page's language, translated once rather than in every row.
            "channels": {value: str(label) for value, label in Channel.choices},
            "statuses": {value: str(label) for value, label in Status.choices},
            # The column headings again, for a phone, where each row is a block of named cells.
            "headers": {
                "received": gettext("Received on"),
                "name": gettext("Name"),
                "channel": gettext("Channel"),
                "status": gettext("Status"),
                "responsible": gettext("Responsible person"),
            },
        },
    )
