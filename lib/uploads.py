"""Recognising uploaded files by their content, not by their name or the browser's claim."""

import io
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError


@dataclass(frozen=True)
class FileKind:
    label: str
    content_type: str
    extensions: frozenset[str]


PDF = FileKind("PDF", "application/pdf", frozenset({".pdf"}))
JPEG = FileKind("JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"}))
PNG = FileKind("PNG", "image/png", frozenset({".png"}))
DOCX = FileKind(
    "Word (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", frozenset({".docx"})
)
XLSX = FileKind(
    "Excel (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({".xlsx"})
)
TEXT = FileKind("text", "text/plain", frozenset({".txt", ".text", ".log", ".csv"}))
ALLOWED_KINDS = (PDF, JPEG, PNG, DOCX, XLSX, TEXT)


class RejectedFile(ValueError):
    """The file is not one we accept; the message says why, in the user's language."""


# What a picture or an office file may unpack to: a scan or photo stays far below these, and a
# file that declares more is refused from its header, before anything is decoded.
MAX_IMAGE_PIXELS = 40_000_000
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_UNPACK_RATIO = 200


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, EOFError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _check_unpacked_size(data: bytes) -> None:
    """Refuse an office file whose members declare more than we unpack; nothing is unpacked here."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = archive.infolist()
    unpacked = sum(member.file_size for member in members)
    packed = sum(member.compress_size for member in members)
    if unpacked > MAX_UNPACKED_BYTES or unpacked > MAX_UNPACK_RATIO * max(packed, 64 * 1024):
        raise RejectedFile(
            _("the file unpacks to more than %(limit)d MB or is packed suspiciously tightly")
            % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _check_image(data: bytes) -> None:
    """Refuse a picture that declares too many pixels (from its header alone), then decode it
    in full so that a truncated file is refused too."""
    damaged = RejectedFile(_("the file is incomplete or damaged"))
    errors = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)
    try:
        with warnings.catch_warnings():
            # Opening reads the header only; the size is judged below, with a clear reason.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except errors:
        raise damaged from None
    if width * height > MAX_IMAGE_PIXELS:
        raise RejectedFile(
            _("the picture is %(width)d × %(height)d pixels; at most %(limit)d million pixels are accepted")
            % {"width": width, "height": height, "limit": MAX_IMAGE_PIXELS // 1_000_000}
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its own limit; here a bomb is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.load()  # decodes every pixel, so a truncated file fails here
    except (*errors, Image.DecompressionBombWarning):
        raise damaged from None


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return False
    allowed_controls = {"\t", "\n", "\r", "\f"}
    return not any(ord(char) < 32 and char not in allowed_controls for char in text)


def detect_kind(data: bytes) -> FileKind | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data and _is_plain_text(data):
        return TEXT
    return None


def check_upload(*, name: str, data: bytes) -> FileKind:
    """Return the file's kind, or raise RejectedFile with the reason.

    The content decides the kind; the name's extension must agree with it, so an HTML or
    SVG file named "photo.png" is refused rather than stored as text."""
    if not data:
        raise RejectedFile(_("the file is empty"))
    kind = detect_kind(data)
    if kind is None:
        raise RejectedFile(_("this type of file is not accepted (allowed: PDF, JPEG, PNG, DOCX, XLSX, plain text)"))
    extension = PurePath(name).suffix.lower()
    if extension and extension not in kind.extensions:
        raise RejectedFile(_("the content of the file does not match its name (%(ext)s)") % {"ext": extension})
    if kind is PDF and b"%%EOF" not in data[-2048:]:
        raise RejectedFile(_("the file is incomplete or damaged"))
    if kind in (JPEG, PNG):
        _check_image(data)
    if kind in (DOCX, XLSX):
        _check_unpacked_size(data)
    return kind


# Characters that reorder text on screen: "gnp.exe" behind U+202E shows as "exe.png".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def safe_display_name(name: str) -> str:
    """A file name fit to show and to offer for download: no path, no control or
    bidirectional-override characters, at most 200 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(char for char in base if ord(char) >= 32 and char not in BIDI_CONTROLS).strip(" .")
    return cleaned[:200] or "bijlage"
