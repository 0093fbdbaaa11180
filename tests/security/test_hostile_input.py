"""Hostile input per class, checked where it ends up: the database, the file system, the download,
the pages staff read. Script execution in a real browser is in test_browser.py."""

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import User
from complaints.models import Attachment, Complaint
from tests.security.helpers import form_data

FORM = "/klacht/"

SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def png(size: tuple[int, int] = (6, 6)) -> bytes:
    buffer = io.BytesIO()
    # Noise, so the size in bytes grows with the size in pixels.
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def post_with_file(client: Client, name: str, content: bytes, content_type: str = "image/png") -> Any:
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(FORM, {**form_data(), "attachments": [upload]})


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("foto.png", SVG_WITH_SCRIPT, "past niet bij de naam"),
        ("foto.svg", SVG_WITH_SCRIPT, "past niet bij de naam"),
        ("foto.jpg", HTML_PAGE, "past niet bij de naam"),
        ("pagina.html", HTML_PAGE, "past niet bij de naam"),
        ("foto.png", png()[:40], "onvolledig of beschadigd"),
        ("scan.pdf", b"%PDF-1.4\n1 0 obj\n", "onvolledig of beschadigd"),
        ("foto.pdf", png(), "past niet bij de naam"),
        ("leeg.png", b"", ""),
    ],
)
def test_disguised_and_truncated_uploads_are_refused_with_a_clear_error_and_nothing_is_saved(
    client: Client, db: None, name: str, content: bytes, reason: str
) -> None:
    response = post_with_file(client, name, content)
    assert response.status_code == 400
    html = response.content.decode()
    assert reason in html
    assert Complaint.objects.count() == 0
    assert Attachment.objects.count() == 0


def test_an_oversize_upload_is_refused_with_the_limit_named(client: Client, settings: object, db: None) -> None:
    settings.UPLOAD_MAX_FILE_BYTES = 200  # type: ignore[attr-defined]
    response = post_with_file(client, "foto.png", png((64, 64)))
    assert response.status_code == 400
    assert "groter dan 200" in response.content.decode()
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../../../etc/passwd.png", "passwd.png"),
        ("..\\..\\windows\\win.ini.png", "win.ini.png"),
        ("factuur\u202egnp.exe.png", "factuurgnp.exe.png"),
        # The "/" makes everything before it a path, which is dropped.
        ("foto\r\nContent-Type: text/html.png", "html.png"),
        ("/absolute/path/foto.png", "foto.png"),
    ],
)
def test_hostile_file_names_never_reach_the_file_system_and_are_shown_cleaned(
    client: Client, back_office: User, quality_manager: User, db: None, name: str, shown: str
) -> None:
    response = post_with_file(client, name, png())
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == shown
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert "passwd" not in stored.name and "win.ini" not in stored.name and "\u202e" not in str(stored)

    client.force_login(quality_manager)
    download = client.get(f"/backoffice/klachten/{attachment.complaint.reference}/bijlagen/{attachment.pk}/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert (
        "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition and "/" not in disposition
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


@pytest.mark.parametrize(
    "name", ["foto\r\nX-Evil: 1.png", "foto\u202egnp.exe", "../../x.png", 'a"; filename="evil.html']
)
def test_a_hostile_attachment_name_from_any_channel_downloads_without_breaking_the_header(
    client: Client, quality_manager: User, make_complaint: object, name: str
) -> None:
    from complaints.attachments import UploadedFile

    complaint = make_complaint(files=(UploadedFile(name=name, content=png(), content_type="image/png"),))  # type: ignore[operator]
    attachment = complaint.attachments.get()
    client.force_login(quality_manager)
    download = client.get(f"/backoffice/klachten/{complaint.reference}/bijlagen/{attachment.pk}/")
    assert download.status_code == 200
    disposition = download["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition and "\u202e" not in disposition
    assert 'filename="evil.html"' not in disposition


HOSTILE_TEXT = {
    "name": '<script>window.__xss="name"</script>',
    "company": '"><img src=x onerror="window.__xss=1">',
    "about": "<svg onload=window.__xss=1>",
    "description": (
        "{{ settings.SECRET_KEY }} {% now 'Y' %} {{ 7|add:1 }} <a href=\"javascript:window.__xss=1\">klik</a>"
    ),
    "desired_outcome": "</textarea><body onload=window.__xss=1>",
}


def test_hostile_text_is_stored_as_typed_and_shown_escaped_to_staff(client: Client, quality_manager: User) -> None:
    assert client.post(FORM, form_data(**HOSTILE_TEXT)).status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.name == HOSTILE_TEXT["name"]
    assert complaint.description == HOSTILE_TEXT["description"]
    client.force_login(quality_manager)
    for url in ("/backoffice/", "/backoffice/klachten/", f"/backoffice/klachten/{complaint.reference}/"):
        html = client.get(url).content.decode()
        for raw in ("<script>window.__xss", "<img src=x onerror", "<svg onload", "<body onload", 'href="javascript:'):
            assert raw not in html, (url, raw)
    detail = client.get(f"/backoffice/klachten/{complaint.reference}/").content.decode()
    # Template syntax typed by a complainant is text, never evaluated.
    assert "{{ settings.SECRET_KEY }}" in detail and "{% now &#x27;Y&#x27; %}" in detail
    assert settings.SECRET_KEY not in detail


def test_sort_and_filter_parameters_outside_the_allow_list_are_ignored_or_refused(
    client: Client, quality_manager: User
) -> None:
    client.force_login(quality_manager)
    for query in (
        "?status=__all__",
        "?status=received' OR 1=1--",
        "?channel=password",
        "?sort=registered_by__password",
        "?order_by=-registered_by__password",
        "?cursor=../../etc",
        "?cursor=2026-01-01T00:00:00%2B00:00|1' OR '1'='1",
        "?q=%00",
    ):
        response = client.get("/backoffice/klachten/" + query)
        assert response.status_code in (200, 400), query
