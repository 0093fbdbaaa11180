"""Form fields that read their options with one plain query."""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.db.models import Model
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue


class PlainQueryChoiceIterator(ModelChoiceIterator[Any]):
    """Django's ModelChoiceIterator reads the options through queryset.iterator(), on PostgreSQL
    a server-side cursor: three round trips (declare, fetch, close) for a few dozen rows. This
    one reads them with one ordinary query."""

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue | str, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainQueryModelChoiceField[M: Model](forms.ModelChoiceField[M]):
    """A ModelChoiceField whose options are read with one plain query."""

    iterator = PlainQueryChoiceIterator
