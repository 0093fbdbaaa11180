"""Small helpers for posting the public form and reading its pages."""

import html
import re
import uuid
from datetime import date, timedelta

from django.utils import timezone


def form_data(**overrides: object) -> dict[str, object]:
    """What a complainant fills in; keyword arguments change or add fields."""
    data: dict[str, object] = {
        "submission_key": str(uuid.uuid4()),
        "name": "Jan Jansen",
        "company": "Jansen Installatietechniek",
        "complaint_date": timezone.localdate().isoformat(),
        "about": "Planning",
        "email": "jan@example.nl",
        "postal_address": "",
        "phone": "",
        "subject": "service",
        "description": "De monteur kwam twee keer niet opdagen.",
        "desired_outcome": "",
    }
    data.update(overrides)
    return data


def text_of(content: bytes) -> str:
    """The page's visible text, tags dropped and whitespace collapsed."""
    without_tags = re.sub(r"<[^>]+>", " ", content.decode())
    return " ".join(html.unescape(without_tags).split())


def label_for(content: bytes, field_id: str) -> str:
    """The text of the label for field_id, without the "(optioneel)" marker."""
    match = re.search(rf'<label for="{field_id}">\s*([^<]+?)\s*<', content.decode())
    assert match, f"no label for {field_id}"
    return html.unescape(match.group(1))


def errors_for(content: bytes, field_id: str) -> list[str]:
    match = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', content.decode(), re.S)
    if not match:
        return []
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def reference_on(content: bytes) -> str:
    match = re.search(r'id="reference">(KL-\d{4}-\d{5})<', content.decode())
    assert match, "no reference on the page"
    return match.group(1)


def a_date(days_ago: int = 0) -> date:
    return timezone.localdate() - timedelta(days=days_ago)
