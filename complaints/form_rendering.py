"""Form fields for the complaint page, cheaper than through the template engine.

The complaint page shows up to a dozen forms (the procedure's actions and the classification),
one with a <select> of every responsible person; rendered field by field through
includes/field.html they took about a third of the page's time. (The widgets themselves are
rendered by Django's default form renderer, which also renders the admin's widgets.)

- field_html() builds what includes/field.html builds: label, help text, errors and widget,
  everything escaped. tests/complaints/test_form_rendering.py holds it to the template.
- read_choices_plainly() reads a model choice field's options in one plain query.
- kept_field_html() keeps a field's rendering per process: the select of every responsible
  person took a millisecond and a half per page of an open complaint, its other action
  forms' fields another millisecond."""

from collections.abc import Iterable
from typing import cast

from django.forms import BoundField, ChoiceField, ModelChoiceField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from lib.rendering import KeptFragments


def read_choices_plainly(field: ModelChoiceField) -> None:
    """Read a model choice field's options with one plain query when its widget is rendered.

    Left alone, a ModelChoiceField reads them through queryset.iterator(), on PostgreSQL a
    server-side cursor: three round trips (declare, fetch, close) for a dozen rows."""

    def choices() -> list[tuple[str, object]]:
        queryset = field.queryset
        assert queryset is not None
        options: list[tuple[str, object]] = [] if field.empty_label is None else [("", field.empty_label)]
        return options + [(str(field.prepare_value(obj)), field.label_from_instance(obj)) for obj in queryset]

    field.choices = choices


def field_html(field: BoundField) -> SafeString:
    """What {% include "includes/field.html" with field=... %} renders, for one bound field."""
    errors = field.errors
    help_text = field.help_text
    auto_id = field.auto_id
    error_list = (
        format_html(
            '<ul class="errorlist" id="{}_error">{}</ul>',
            auto_id,
            format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
        )
        if errors
        else ""
    )
    help_html = format_html('<p class="help" id="{}_helptext">{}</p>', auto_id, help_text) if help_text else ""
    optional = format_html(' <span class="optional">({})</span>', gettext("optional"))
    if field.widget_type == "radioselect":
        describedby: str = ""
        if help_text or errors:
            # The template separates the two ids with a space, also before a lone error id.
            describedby = format_html(
                ' aria-describedby="{}{}"',
                f"{auto_id}_helptext" if help_text else "",
                f" {auto_id}_error" if errors else "",
            )
        inner = format_html(
            '<fieldset class="choices"{}><legend>{}{}</legend>{}{}{}</fieldset>',
            describedby,
            field.label,
            "" if field.field.required else optional,
            help_html,
            error_list,
            str(field),
        )
    else:
        label = field.label
        inner = format_html(
            '<label for="{}">{}{}</label>{}{}{}',
            field.id_for_label,
            label,
            optional if not field.field.required and "optional" not in label else "",
            help_html,
            error_list,
            str(field),
        )
    return format_html(
        '<div class="field{}" id="field-{}">{}</div>\n', " has-error" if errors else "", field.html_name, inner
    )


_kept_fields = KeptFragments(maxsize=512)


def kept_field_html(field: BoundField) -> SafeString:
    """field_html(), kept per process for a field of an unbound form: once for each form class,
    field, language and (for a choice field) set of choices and initial value, which is all
    such a field's HTML depends on. The choices are still read each time, a model choice
    field's with its query, so a new responsible person shows at once.

    Rendered each time instead: the fields of a bound form (with the values and errors of a
    post), and other fields with an initial value. Such a value may be a complainant's words
    (a conversation's summary), which a process does not keep.

    Only for forms that change nothing else of a field per instance (its label, its widget's
    attributes)."""
    if field.form.is_bound:
        return field_html(field)
    value = field.value()
    if isinstance(field.field, ChoiceField):
        # A ChoiceField's choices are normalised to (value, label) pairs, or (group, pairs).
        options = cast(Iterable[tuple[object, object]], field.field.choices)
        choices: tuple[object, ...] = tuple((str(option), _label_key(label)) for option, label in options)
    elif value in (None, ""):
        choices = ()
    else:
        return field_html(field)
    key = (type(field.form), field.html_name, field.auto_id, get_language(), choices, str(value))
    return _kept_fields.get(key, lambda: field_html(field))


def _label_key(label: object) -> object:
    """A label as part of a key: its text, or a group's (value, text) pairs."""
    if isinstance(label, (list, tuple)):
        return tuple((str(value), str(text)) for value, text in label)
    return str(label)
