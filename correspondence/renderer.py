"""Letters as PDF: one renderer, `generate(letter) -> (filename, mimetype, bytes)`.

WeasyPrint gets a URL fetcher that serves only this app's bundled assets and the
organisation's logo; every other URL (http, https, file, data, ...) is refused, so nothing
in a letter can make the server fetch from the network or read its own files."""

import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy
from weasyprint import HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse

from complaints.models import Complaint
from lib.dates import local_date
from lib.documents import archival_pdf
from lib.uploads import JPEG, PNG, detect_kind
from organisation.models import OrganisationSettings
from organisation.privacy import privacy_summary
from organisation.selectors import get_organisation

from .models import Letter, LetterKind
from .placeholders import long_date

logger = logging.getLogger(__name__)

ASSETS = Path(__file__).resolve().parent / "assets"
ASSET_SCHEME = "asset:"
# The bundled files a letter may use, by name; nothing else is served.
BUNDLED = {"letter.css": "text/css"}
LOGO_URL = "asset:logo"
PDF_MIMETYPE = "application/pdf"


class RefusedURL(ValueError):
    pass


class AssetFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no type information
    """Serves `asset:<name>` for bundled files and `asset:logo` for the organisation's logo.

    Refused URLs are remembered (tests assert on them) and raise, which WeasyPrint treats
    as a missing resource: the letter renders without it."""

    def __init__(self, *, logo: bytes | None = None, logo_type: str = "") -> None:
        super().__init__(timeout=1, allowed_protocols=("asset",), allow_redirects=False)
        self.logo = logo
        self.logo_type = logo_type
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url == LOGO_URL and self.logo:
            self.served.append(url)
            return URLFetcherResponse(url, body=self.logo, headers={"Content-Type": self.logo_type})
        name = url.removeprefix(ASSET_SCHEME) if url.startswith(ASSET_SCHEME) else None
        if name in BUNDLED:
            self.served.append(url)
            return URLFetcherResponse(url, body=(ASSETS / name).read_bytes(), headers={"Content-Type": BUNDLED[name]})
        self.refused.append(url)
        logger.warning("letter rendering refused to fetch %r", url[:200])
        raise RefusedURL(f"refused: {url[:200]}")


def organisation_logo(organisation: OrganisationSettings) -> tuple[bytes | None, str]:
    """The logo's bytes if it is a PNG or JPEG (an SVG could itself point elsewhere)."""
    if not organisation.logo:
        return None, ""
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read()
    except OSError:
        logger.warning("organisation logo %s cannot be read", organisation.logo.name)
        return None, ""
    kind = detect_kind(data)
    if kind not in (PNG, JPEG):
        return None, ""
    return data, kind.content_type


def html_to_pdf(html: str, *, fetcher: AssetFetcher) -> bytes:
    # No base_url: relative URLs resolve to nothing rather than to the working directory.
    return archival_pdf(HTML(string=html, base_url=None, url_fetcher=fetcher))


@dataclass
class LetterContent:
    """What goes on paper; a sent Letter, a draft, or a template being previewed."""

    complaint: Complaint
    subject: str
    body: str
    letter_date: date
    kind: str = ""
    status_url: str = ""
    draft: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def signer_lines(complaint: Complaint, organisation: OrganisationSettings) -> list[str]:
    # Signed by the responsible person once there is one; before that by the function, so
    # the complainant sees no staff names besides the person handling the complaint.
    person = complaint.assigned_to
    if person is not None:
        return [line for line in (person.display_name, person.job_title, organisation.name) if line]
    with translation.override("nl"):
        return [translation.gettext("Quality management"), organisation.name]


def render_html(content: LetterContent, *, organisation: OrganisationSettings, has_logo: bool) -> str:
    complaint = content.complaint
    with translation.override("nl"):
        paragraphs = [block.strip("\n") for block in content.body.replace("\r\n", "\n").split("\n\n") if block.strip()]
        return render_to_string(
            "correspondence/pdf/letter.html",
            {
                "organisation": organisation,
                "logo_url": LOGO_URL if has_logo else "",
                "complaint": complaint,
                "recipient": [
                    line
                    for line in (complaint.name, complaint.company, *complaint.postal_address.splitlines())
                    if line.strip()
                ],
                "subject": content.subject,
                "paragraphs": paragraphs,
                "letter_date": long_date(content.letter_date),
                "status_url": content.status_url,
                "kind": content.kind,
                "draft": content.draft,
                "signer": signer_lines(complaint, organisation),
                "privacy": privacy_summary(organisation),
            },
        )


def render_content(content: LetterContent, *, fetcher: AssetFetcher | None = None) -> bytes:
    organisation = get_organisation()
    if fetcher is None:
        logo, logo_type = organisation_logo(organisation)
        fetcher = AssetFetcher(logo=logo, logo_type=logo_type)
    html = render_html(content, organisation=organisation, has_logo=bool(fetcher.logo))
    return html_to_pdf(html, fetcher=fetcher)


# What a letter's file is called for the complainant, in the letters' language (Dutch).
FILE_WORDS = {
    LetterKind.ACKNOWLEDGEMENT: pgettext_lazy("letter file name", "acknowledgement"),
    LetterKind.INVITATION: pgettext_lazy("letter file name", "invitation"),
    LetterKind.CANCELLATION: pgettext_lazy("letter file name", "cancellation"),
    LetterKind.CONFIRMATION: pgettext_lazy("letter file name", "confirmation"),
    LetterKind.EXTENSION: pgettext_lazy("letter file name", "extension"),
    LetterKind.CLOSING: pgettext_lazy("letter file name", "closing"),
    LetterKind.WITHDRAWAL: pgettext_lazy("letter file name", "withdrawal"),
}


def file_word(kind: str) -> str:
    with translation.override("nl"):
        return slugify(str(FILE_WORDS.get(LetterKind(kind), kind)))


def filename_for(letter: Letter) -> str:
    return f"{letter.complaint.reference}-{file_word(letter.kind)}.pdf"


def content_for(letter: Letter, *, status_url: str = "") -> LetterContent:
    moment = letter.sent_at or timezone.now()
    return LetterContent(
        complaint=letter.complaint,
        subject=letter.subject,
        body=letter.body,
        letter_date=local_date(moment),
        kind=letter.kind,
        status_url=status_url,
        draft=letter.is_draft,
    )


def render_status_link_letter(*, complaint: Complaint, status_url: str) -> bytes:
    """A letter with a new link to the status page, for a complainant without e-mail."""
    with translation.override("nl"):
        content = LetterContent(
            complaint=complaint,
            subject=translation.gettext("Your new link to follow your complaint"),
            body=translation.gettext(
                "Below is a new personal link to the page where you follow your complaint. Type it into "
                "your browser; it works once, and then keeps your page open on that device. Links you "
                "received before no longer work.\n\nKeep this letter to yourself: whoever uses the link "
                "first can read your complaint. On the page you can ask for a new link at any time."
            ),
            letter_date=local_date(timezone.now()),
            kind="status_link",
            status_url=status_url,
        )
    return render_content(content)


def generate(letter: Letter, *, status_url: str = "") -> tuple[str, str, bytes]:
    """The letter as a PDF. For a sent letter use the stored file instead: this renders anew."""
    return filename_for(letter), PDF_MIMETYPE, render_content(content_for(letter, status_url=status_url))
