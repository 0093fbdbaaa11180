"""Every field that may hold personal data is declared once, in privacy/registry.py."""

import importlib
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

from privacy.registry import DECLARATIONS, TOKEN, Treatment, declaration_for, installed

triggers = importlib.import_module("privacy.migrations.0011_append_only_without_a_switch")

# Words in a field's name that suggest a person's data, whatever the field's type.
PERSONAL_WORDS = {
    "name",
    "email",
    "mail",
    "phone",
    "telephone",
    "tel",
    "mobile",
    "address",
    "street",
    "city",
    "postal",
    "description",
    "summary",
    "text",
    "note",
    "notes",
    "comment",
    "reason",
    "message",
    "body",
    "remark",
    "about",
    "participants",
    "owner",
    "location",
    "link",
    "url",
    "ip",
    "birth",
    "bsn",
    "iban",
    "data",
    "content",
    "file",
    "label",
    "title",
    "answer",
    "outcome",
    "resolution",
    "subject",
    "to",
    "from",
    "person",
    "contact",
    "signature",
    "pdf",
    "error",
    "headers",
    "excerpt",
    "token",
    "user",
    "by",
}
# Numbers, moments and flags say nothing about a person by themselves (a date of birth aside).
NEUTRAL_TYPES = (
    models.IntegerField,
    models.DateField,
    models.DateTimeField,
    models.BooleanField,
    models.DecimalField,
    models.FloatField,
    models.DurationField,
    models.UUIDField,
)
PERSONAL_TYPES = (
    models.CharField,
    models.TextField,
    models.FileField,
    models.JSONField,
    models.GenericIPAddressField,
)


def our_models() -> list[type[models.Model]]:
    """Every concrete model of the project's own apps (not Django's, not third-party packages)."""
    root = Path(settings.BASE_DIR).resolve()
    ours: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and ".venv" not in path.parts:
            ours.extend(m for m in config.get_models() if not m._meta.abstract and not m._meta.proxy)
    return ours


def looks_personal(field: models.Field) -> bool:
    if field.primary_key and isinstance(field, models.AutoField):
        return False
    if isinstance(field, models.ForeignKey) and field.related_model._meta.label == settings.AUTH_USER_MODEL:
        return True
    if isinstance(field, PERSONAL_TYPES) and not field.choices:
        return True
    words = set(field.name.lower().split("_"))
    if isinstance(field, NEUTRAL_TYPES) and "birth" not in words:
        return False
    return bool(words & PERSONAL_WORDS) and not isinstance(field, models.ForeignKey)


def test_every_field_that_looks_personal_is_declared_one_way_or_the_other() -> None:
    undecided = []
    for model in our_models():
        declaration = declaration_for(model)
        personal = {f.name for f in declaration.personal} if declaration else set()
        not_personal = set(declaration.not_personal) if declaration else set()
        for field in model._meta.concrete_fields:
            if looks_personal(field) and field.name not in personal | not_personal:
                undecided.append(f"{model._meta.label}.{field.name}")
    assert not undecided, (
        "Declare these fields in privacy/registry.py, as personal (with category and treatment) "
        f"or as not personal (with the reason): {undecided}"
    )


def test_the_walk_sees_the_models_of_every_app_of_ours() -> None:
    labels = {m._meta.label for m in our_models()}
    assert {"complaints.Complaint", "complaints.TimelineEvent", "outbox.OutboxMessage", "privacy.AccessLog"} <= labels
    assert "auth.Group" not in labels and not any(label.startswith("django_tasks") for label in labels)


def test_the_test_would_catch_a_new_personal_field() -> None:
    field = models.CharField(max_length=50)
    field.set_attributes_from_name("nickname")
    assert looks_personal(field)
    assert declaration_for(apps.get_model("complaints.Complaint")).field("nickname") is None  # type: ignore[union-attr]


def test_the_registry_names_only_fields_that_exist() -> None:
    for declaration in installed():
        names = {f.name for f in declaration.model_class._meta.get_fields()}
        declared = {f.name for f in declaration.personal} | set(declaration.not_personal)
        assert declared <= names, f"{declaration.model}: {declared - names}"
        assert not {f.name for f in declaration.personal} & set(declaration.not_personal)


def test_every_declared_model_exists() -> None:
    missing = [d.model for d in DECLARATIONS if d not in installed()]
    assert not missing, f"privacy/registry.py declares models that do not exist: {missing}"


def test_the_token_fits_every_field_it_replaces() -> None:
    for declaration in installed():
        for personal in declaration.personal:
            max_length = getattr(declaration.model_class._meta.get_field(personal.name), "max_length", None)
            if personal.treatment == Treatment.TOKEN and max_length:
                assert max_length >= len(TOKEN), f"{declaration.model}.{personal.name}"


def test_fields_kept_after_anonymisation_say_why() -> None:
    for declaration in installed():
        for personal in declaration.personal:
            if personal.treatment == Treatment.RETAIN:
                assert personal.note, f"{declaration.model}.{personal.name} is kept without a reason"


def test_the_database_triggers_let_the_anonymiser_scrub_exactly_the_declared_columns() -> None:
    as_trigger = {Treatment.TOKEN: "token", Treatment.SCRUB_JSON: "json"}
    for table, columns in triggers.TRIGGERS.items():
        model = next(m for m in apps.get_models() if m._meta.db_table == table)
        declaration = declaration_for(model)
        assert declaration is not None
        scrubbed = {
            getattr(model._meta.get_field(f.name), "column", f.name): as_trigger[Treatment(f.treatment)]
            for f in declaration.personal
            if f.treatment != Treatment.RETAIN
        }
        assert columns == scrubbed, table
    assert triggers.TOKEN == TOKEN


def test_every_field_the_processing_register_lists_has_a_translated_label() -> None:
    """The register shows each personal field by its label: in Dutch in the Dutch register."""
    from django.utils import translation
    from django.utils.functional import Promise

    from privacy.registry import complaint_file

    for declaration in complaint_file():
        for personal in declaration.personal:
            field = declaration.model_class._meta.get_field(personal.name)
            label = getattr(field, "verbose_name", None)
            where = f"{declaration.model_class.__name__}.{personal.name}"
            assert isinstance(label, Promise), f"{where}: the label {label!r} is not marked for translation"
            with translation.override("nl"):
                dutch = str(label)
            with translation.override("en"):
                english = str(label)
            # Words that Dutch writes the same.
            assert dutch != english or english in {"detail", "HTML", "PDF"}, f"{where}: no Dutch for {english!r}"
        # The register names each model by its verbose name too.
        model_name = declaration.model_class._meta.verbose_name
        with translation.override("nl"):
            dutch = str(model_name)
        with translation.override("en"):
            english = str(model_name)
        same_in_dutch = {"contact", "e-mail"}
        assert dutch != english or english in same_in_dutch, (
            f"{declaration.model_class.__name__}: no Dutch for {english!r}"
        )


def test_the_dutch_register_names_the_fields_in_dutch(privacy_officer) -> None:
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(privacy_officer)
    page = client.get(reverse("privacy:register")).content.decode()

    for dutch in ("geüpload door", "handelende partij", "kopregels van de e-mail", "naam van de afzender"):
        assert dutch in page
    for english in ("<td>uploaded by</td>", "<td>actor label</td>", "<td>headers excerpt</td>"):
        assert english not in page


def test_the_copy_of_a_persons_data_names_its_sections_and_columns_in_dutch() -> None:
    """The art. 15 export shows each exported model and column by its label, context columns
    (dates, kinds) included: in Dutch in the Dutch copy."""
    from django.utils import translation

    from privacy.export import _columns
    from privacy.registry import complaint_file

    for declaration in complaint_file():
        if not any(personal.exported for personal in declaration.personal):
            continue
        meta = declaration.model_class._meta
        labels = {"(section)": meta.verbose_name_plural}
        labels.update({name: getattr(meta.get_field(name), "verbose_name", name) for name in _columns(declaration)})
        for name, label in labels.items():
            with translation.override("nl"):
                dutch = str(label)
            with translation.override("en"):
                english = str(label)
            where = f"{declaration.model_class.__name__}.{name}"
            assert dutch != english or english in {"status"}, f"{where}: no Dutch for {english!r}"
