"""Attachments on the public form: recognised by content, limited in number and size, stored
under server-generated names outside anything served, downloaded only through the
permission-checked view."""

import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import complaints.attachments
import intake.registration
from accounts.models import User
from complaints.models import Attachment, Complaint

from . import files
from .helpers import errors_for, form_data

FORM_URL = "/klacht/"
MB = 1024 * 1024

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()}


def post_with(client: Client, *uploads: SimpleUploadedFile, **overrides: object) -> object:
    return client.post(FORM_URL, {**form_data(**overrides), "attachments": list(uploads)})


@pytest.mark.parametrize(
    ("name", "make", "content_type"),
    [
        ("factuur.pdf", files.pdf, "application/pdf"),
        ("foto.jpg", files.jpeg, "image/jpeg"),
        ("schermafdruk.png", files.png, "image/png"),
        ("brief.docx", files.docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("uren.xlsx", files.xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("notities.txt", files.text, "text/plain"),
    ],
)
def test_it_accepts_the_allowed_kinds_by_their_content(
    client: Client, name: str, make: Callable[[], bytes], content_type: str
) -> None:
    data = make()
    # The browser's claim is ignored: the content decides.
    response = post_with(client, SimpleUploadedFile(name, data, content_type="application/octet-stream"))

    assert response.status_code == 302  # type: ignore[attr-defined]
    attachment = Attachment.objects.get()
    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(data)
    with attachment.file.open("rb") as handle:
        assert handle.read() == data


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (
            lambda: SimpleUploadedFile("factuur.pdf", files.png()),
            "de inhoud van het bestand past niet bij de naam (.pdf)",
        ),
        (
            lambda: SimpleUploadedFile("setup.exe", files.EXECUTABLE),
            "dit soort bestand nemen wij niet aan (toegestaan: PDF, JPEG, PNG, DOCX, XLSX, platte tekst)",
        ),
        (
            lambda: SimpleUploadedFile("foto.png", files.HTML_PAGE, content_type="image/png"),
            "de inhoud van het bestand past niet bij de naam (.png)",
        ),
        (lambda: SimpleUploadedFile("leeg.txt", b""), "het bestand is leeg"),
        (
            lambda: SimpleUploadedFile("kapot.png", files.png()[:40]),
            "het bestand is onvolledig of beschadigd",
        ),
    ],
    ids=["wrong content for the extension", "executable", "html renamed png", "empty", "truncated image"],
)
def test_it_refuses_a_file_naming_it_and_the_reason_and_saves_nothing(
    client: Client, upload: Callable[[], SimpleUploadedFile], reason: str
) -> None:
    before = stored_files()
    refused = upload()
    good = SimpleUploadedFile("foto.jpg", files.jpeg())

    response = post_with(client, good, refused)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert errors_for(response.content, "id_attachments") == [f"{refused.name}: {reason}."]  # type: ignore[attr-defined]
    assert not Complaint.objects.exists()
    assert stored_files() == before


def test_it_refuses_a_file_over_ten_megabytes(client: Client) -> None:
    before = stored_files()

    response = post_with(client, SimpleUploadedFile("groot.txt", b"a" * (10 * MB + 1)))

    assert errors_for(response.content, "id_attachments") == ["groot.txt is groter dan 10,0\xa0MB."]  # type: ignore[attr-defined]
    assert not Complaint.objects.exists()
    assert stored_files() == before


def test_it_refuses_more_than_five_files(client: Client) -> None:
    uploads = [SimpleUploadedFile(f"notitie-{n}.txt", files.text()) for n in range(6)]

    response = post_with(client, *uploads)

    assert errors_for(response.content, "id_attachments") == [  # type: ignore[attr-defined]
        "U kunt maximaal 5 bestanden toevoegen; u koos er 6."
    ]
    assert not Complaint.objects.exists()


def test_it_refuses_files_over_twenty_five_megabytes_together(client: Client) -> None:
    uploads = [SimpleUploadedFile(f"deel-{n}.txt", b"a" * (9 * MB)) for n in range(3)]
    before = stored_files()

    response = post_with(client, *uploads)

    assert errors_for(response.content, "id_attachments") == [  # type: ignore[attr-defined]
        "De bestanden zijn samen groter dan 25,0\xa0MB."
    ]
    assert not Complaint.objects.exists()
    assert stored_files() == before


def test_five_files_within_the_limits_are_all_kept(client: Client) -> None:
    makers: tuple[Callable[[], bytes], ...] = (files.pdf, files.jpeg, files.png, files.docx, files.xlsx)
    names = ("a.pdf", "b.jpg", "c.png", "d.docx", "e.xlsx")

    response = post_with(client, *(SimpleUploadedFile(n, m()) for n, m in zip(names, makers, strict=True)))

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert sorted(Complaint.objects.get().attachments.values_list("original_name", flat=True)) == list(names)


def test_when_storing_fails_halfway_neither_the_complaint_nor_any_file_remains(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_store = complaints.attachments.store_attachment
    calls = []

    def store_then_fail(**kwargs: object) -> Attachment:
        calls.append(kwargs)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_store(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(intake.registration, "store_attachment", store_then_fail)
    before = stored_files()

    with pytest.raises(OSError, match="disk full"):
        post_with(client, SimpleUploadedFile("a.png", files.png()), SimpleUploadedFile("b.png", files.png()))

    assert len(calls) == 2
    assert not Complaint.objects.exists()
    assert stored_files() == before


def test_files_are_stored_under_server_generated_names_outside_any_served_directory(client: Client) -> None:
    post_with(client, SimpleUploadedFile("../../static/evil name.png", files.png()))

    attachment = Attachment.objects.get()
    assert attachment.original_name == "evil name.png"
    name = str(attachment.file.name)
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}", name)
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    assert not any(path.is_relative_to(directory.resolve()) for directory in served)
    # No URL of the site leads to the file except the download view.
    assert client.get("/" + name).status_code == 404
    assert client.get(f"{settings.STATIC_URL}{name}").status_code == 404


def test_the_download_is_an_attachment_with_a_safely_encoded_name(client: Client, quality_manager: User) -> None:
    data = files.pdf()
    post_with(client, SimpleUploadedFile('factuur "sept" ü\u202egnp.pdf', data))
    complaint = Complaint.objects.get()
    attachment = complaint.attachments.get()
    client.force_login(quality_manager)

    response = client.get(reverse("complaints:attachment", args=[complaint.reference, attachment.pk]))

    assert response.status_code == 200
    # The right-to-left override that would make the name read "...pdf.png" is gone.
    assert attachment.original_name == 'factuur "sept" ügnp.pdf'
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote('factuur "sept" ügnp.pdf')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == data  # type: ignore[attr-defined]


def test_an_ascii_name_with_quotes_is_escaped_in_the_header(client: Client, quality_manager: User) -> None:
    post_with(client, SimpleUploadedFile('a"b.txt', files.text()))
    complaint = Complaint.objects.get()
    client.force_login(quality_manager)

    response = client.get(reverse("complaints:attachment", args=[complaint.reference, complaint.attachments.get().pk]))

    assert response["Content-Disposition"] == 'attachment; filename="a\\"b.txt"'
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_only_users_who_may_see_the_complaint_can_download(client: Client, back_office: User, director: User) -> None:
    post_with(client, SimpleUploadedFile("foto.png", files.png()))
    complaint = Complaint.objects.get()
    url = reverse("complaints:attachment", args=[complaint.reference, complaint.attachments.get().pk])

    anonymous = Client().get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(settings.LOGIN_URL)
    for user in (back_office, director):  # neither registered nor handles this web complaint
        client.force_login(user)
        assert client.get(url).status_code == 404
