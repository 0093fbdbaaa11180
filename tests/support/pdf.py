"""What can be checked of an archival, accessible PDF without a full PDF/A validator: the
PDF/A identification in the XMP metadata, an output intent, every font embedded, a structure
tree marked as such, the document's language and title, and nothing that points outside."""

import io
import re
from typing import cast

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    fonts = []
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            fonts.append(descendants[0].get_object() if descendants else font)
    return fonts


def _walk(value: object, seen: set[int]) -> list[DictionaryObject]:
    """Every dictionary reachable from value, once."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def assert_archival_and_tagged(data: bytes, *, title: str, lang: str = "nl") -> None:
    reader = PdfReader(io.BytesIO(data))
    root = cast(DictionaryObject, reader.trailer["/Root"].get_object())
    xmp = reader.xmp_metadata
    assert xmp is not None, "no XMP metadata"
    metadata = xmp.stream.get_data().decode()
    assert re.search(r'pdfaid:part="3"', metadata) and re.search(r'pdfaid:conformance="A"', metadata), metadata
    assert "/OutputIntents" in root, "no output intent"
    assert root.get("/Lang") == lang
    assert bool(root.get("/MarkInfo", {}).get("/Marked")), "not marked as tagged"
    assert "/StructTreeRoot" in root, "no structure tree"
    assert reader.metadata is not None and reader.metadata.get("/Title") == title
    fonts = _fonts(reader)
    assert fonts, "no fonts"
    for font in fonts:
        descriptor = cast(DictionaryObject, font["/FontDescriptor"].get_object())
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{font.get('/BaseFont')} not embedded"
    for dictionary in _walk(root, set()):
        assert dictionary.get("/S") not in ("/URI", "/Launch", "/GoToR", "/ImportData"), dictionary
