"""Finding: a 657 KB PNG of 13000 × 13000 pixels was decoded in full (4.9 s, 137 → 781 MB in one
worker), and an archive named .docx that inflates to 200 MB was accepted. Both must be refused from
what the file declares, before any decoding, quickly and without the memory."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import pytest
from django.test import Client
from django.utils import translation

from complaints.models import Complaint
from lib.uploads import MAX_IMAGE_PIXELS, RejectedFile, check_upload
from tests.intake import files
from tests.intake.helpers import form_data


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_flood_png(width: int = 13000, height: int = 13000) -> bytes:
    """A small, valid greyscale PNG of width × height black pixels, written row by row."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte 0, then one byte per pixel
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b"")


def inflating_docx(inflated: int = 200 * 1024 * 1024) -> bytes:
    """A well-formed .docx whose document.xml inflates to `inflated` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(files.docx())) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                out.writestr(item, source.read(item))
        with out.open("word/document.xml", "w") as member:
            block = b" " * (1024 * 1024)
            for _ in range(inflated // len(block)):
                member.write(block)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def flood() -> bytes:
    return pixel_flood_png()


def test_a_pixel_flood_png_is_refused_in_under_100_ms_without_the_memory(flood: bytes) -> None:
    assert len(flood) < 1024 * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with translation.override("en"), pytest.raises(RejectedFile, match="13000 × 13000 pixels"):
            check_upload(name="foto.png", data=flood)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 0.1, f"took {elapsed * 1000:.0f} ms"
    assert peak < 5 * 1024 * 1024, f"used {peak / 1e6:.0f} MB"


def test_an_image_just_over_the_pixel_cap_is_refused_and_one_under_it_accepted() -> None:
    side = int(MAX_IMAGE_PIXELS**0.5)
    with pytest.raises(RejectedFile):
        check_upload(name="groot.png", data=pixel_flood_png(side + 2, side + 2))
    check_upload(name="passend.png", data=pixel_flood_png(side - 2, side - 2))


def test_an_office_file_that_inflates_beyond_the_limit_is_refused() -> None:
    bomb = inflating_docx()
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    with translation.override("en"), pytest.raises(RejectedFile, match="unpacks to more than"):
        check_upload(name="brief.docx", data=bomb)
    assert time.perf_counter() - started < 0.1


def test_the_public_form_refuses_a_pixel_flood_and_saves_nothing(db: None, flood: bytes) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = {**form_data(), "attachments": [SimpleUploadedFile("foto.png", flood, "image/png")]}
    response = Client().post("/klacht/", data)
    assert response.status_code == 400
    assert "13000 × 13000" in response.content.decode()
    assert not Complaint.objects.exists()
