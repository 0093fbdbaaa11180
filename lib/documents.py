"""Documents that people receive or that are kept: PDF/A-3a, which WeasyPrint writes tagged
(a structure tree, the language and title of the HTML), with its fonts embedded and an sRGB
output intent, so a screen reader can read it and an archive can keep it."""

from typing import Any

from weasyprint import HTML

ARCHIVAL_VARIANT = "pdf/a-3a"


def archival_pdf(document: HTML, **options: Any) -> bytes:
    pdf: bytes = document.write_pdf(pdf_variant=ARCHIVAL_VARIANT, **options)
    return pdf
