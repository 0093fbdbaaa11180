"""Real, small files of every kind the form accepts, and some it must refuse."""

import io
import zipfile

from openpyxl import Workbook
from PIL import Image
from weasyprint import HTML


def png(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 30, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def pdf(text: str = "Factuur september") -> bytes:
    return HTML(string=f"<html lang='nl'><body><p>{text}</p></body></html>").write_pdf()


def docx() -> bytes:
    """A minimal but well-formed WordprocessingML package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Mijn klacht</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def xlsx() -> bytes:
    workbook = Workbook()
    workbook.active.append(["Datum", "Uren"])
    workbook.active.append(["2026-09-01", 8])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def text() -> bytes:
    return b"Gesprek van 3 maart: de monteur zou om 9 uur komen.\n"


# Files that must be refused.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(range(256)) * 4
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
