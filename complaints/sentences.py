"""What a timeline event says, kept as what happened rather than as words: the untranslated
text and its values. Each reader reads it in their own language (TimelineEvent.sentence); the
event's `message` keeps the words in the organisation's language for the record.

    Sentence(gettext_noop("Meeting planned for %(when)s."), when=contact.starts_at)

The text is an English source text marked with `gettext_noop`, so that makemessages finds it.
A date or a moment is kept as such and a translatable label (a choice's label) by its source
text, so that they too read in the reader's language; any other value is kept as it was given.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext


class Sentence:
    def __init__(self, text: str, /, **values: object) -> None:
        self.text = text
        self.values = {name: _kept(value) for name, value in values.items()}

    def stored(self) -> dict[str, Any]:
        return {"text": self.text, "values": self.values}


def stored(told: Sentence | list[Sentence]) -> dict[str, Any]:
    """A sentence, or several told one after the other, as an event keeps it."""
    if isinstance(told, list):
        return {"parts": [sentence.stored() for sentence in told]}
    return told.stored()


def in_organisation_language(kept: dict[str, Any]) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render(kept)


def _kept(value: object) -> object:
    if isinstance(value, datetime):
        return {"moment": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Promise):
        # Without an active language a lazy text is its source text.
        with translation.override(None):
            return {"label": str(value)}
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, list | tuple):
        return [_kept(item) for item in value]
    return str(value)


def _shown(value: object) -> object:
    if isinstance(value, list):
        return ", ".join(str(_shown(item)) for item in value)
    if isinstance(value, dict):
        if "moment" in value:
            return date_format(timezone.localtime(datetime.fromisoformat(value["moment"])), "DATETIME_FORMAT")
        if "date" in value:
            return date_format(date.fromisoformat(value["date"]), "DATE_FORMAT")
        if "label" in value:
            return gettext(value["label"])
    return value


def render(stored: dict[str, Any]) -> str:
    """A stored sentence, or several told one after the other, in the active language."""
    if "parts" in stored:
        return " ".join(render(part) for part in stored["parts"])
    text = gettext(stored["text"])
    values = {name: _shown(value) for name, value in stored.get("values", {}).items()}
    return text % values if values else text
