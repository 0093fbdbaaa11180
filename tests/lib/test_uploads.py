"""Recognising uploads by their content."""

import pytest
from django.utils import translation

from lib.uploads import DOCX, JPEG, PDF, PNG, TEXT, XLSX, RejectedFile, check_upload, safe_display_name
from tests.intake import files


@pytest.mark.parametrize(
    ("name", "make", "kind"),
    [
        ("a.pdf", files.pdf, PDF),
        ("a.jpeg", files.jpeg, JPEG),
        ("a.png", files.png, PNG),
        ("a.docx", files.docx, DOCX),
        ("a.xlsx", files.xlsx, XLSX),
        ("a.txt", files.text, TEXT),
        ("zonder-extensie", files.png, PNG),
    ],
)
def test_it_recognises_allowed_files_by_content(name: str, make: object, kind: object) -> None:
    assert check_upload(name=name, data=make()) is kind  # type: ignore[operator]


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("leeg.txt", b"", "the file is empty"),
        ("a.exe", files.EXECUTABLE, "this type of file is not accepted"),
        ("a.png", files.HTML_PAGE, "does not match its name (.png)"),
        ("a.pdf", b"%PDF-1.4\n1 0 obj\n", "incomplete or damaged"),
        ("a.zip", b"PK\x03\x04" + b"\x00" * 40, "this type of file is not accepted"),
        ("a.txt", b"tekst\x00met nul", "this type of file is not accepted"),
    ],
    ids=["empty", "executable", "html as png", "truncated pdf", "other zip", "binary text"],
)
def test_it_refuses_other_files_with_a_reason(name: str, data: bytes, reason: str) -> None:
    with translation.override("en"), pytest.raises(RejectedFile, match=reason.replace("(", r"\(").replace(")", r"\)")):
        check_upload(name=name, data=data)


def test_a_zip_that_is_not_an_office_document_is_refused() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("virus.exe", "MZ")
    with pytest.raises(RejectedFile):
        check_upload(name="a.docx", data=buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("C:\\Users\\jan\\factuur.pdf", "factuur.pdf"),
        ("../../etc/passwd", "passwd"),
        ("foto\u202egnp.exe", "fotognp.exe"),
        ("regel\r\neinde.txt", "regeleinde.txt"),
        ("...", "bijlage"),
        ("a" * 300 + ".pdf", "a" * 200),
    ],
)
def test_display_names_lose_paths_control_and_direction_characters(name: str, shown: str) -> None:
    assert safe_display_name(name) == shown
