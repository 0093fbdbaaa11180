"""Documents that people receive or that are kept: PDF/A-3a, which WeasyPrint writes tagged
(a structure tree, the language and title of the HTML), with its fonts embedded and an sRGB
output intent, so a screen reader can read it and an archive can keep it."""

from typing import Any

from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

ARCHIVAL_VARIANT = "pdf/a-3a"


class RefusedURL(ValueError):
    pass


class NoFetching(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """For a self-contained document (its stylesheet passed as a string): every URL is refused,
    so nothing in it, a name say, can make the server fetch from the network or read its files."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=(), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        self.refused.append(url)
        raise RefusedURL(f"refused: {url[:200]}")


def archival_pdf(document: HTML, **options: Any) -> bytes:
    pdf: bytes = document.write_pdf(pdf_variant=ARCHIVAL_VARIANT, **options)
    return pdf
