from datetime import date

import pytest

from correspondence.renderer import AssetFetcher, LetterContent, RefusedURL, html_to_pdf, render_content
from tests.correspondence.conftest import HOSTILE, pdf_text

pytestmark = pytest.mark.django_db


def content(complaint, body="Geachte heer Jansen,\n\nDank u wel.", **extra):
    return LetterContent(
        complaint=complaint, subject="Ontvangstbevestiging", body=body, letter_date=date(2026, 3, 4), **extra
    )


def test_it_puts_the_letterhead_reference_date_and_privacy_line_on_an_a4_page(make_complaint):
    complaint = make_complaint(postal_address="Damstraat 1\n1012 JS Amsterdam")
    data = render_content(content(complaint))
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for expected in (
        "Supportoplus",
        "Rokin 1",
        "3542 AB Amsterdam",
        "088-0443888",
        "kwaliteit@supportoplus.nl",
        complaint.reference,
        "4 maart 2026",
        "Damstraat 1",
        "Jan Jansen",
        "Geachte heer Jansen,",
        "Met vriendelijke groet,",
        "alleen om uw klacht af te handelen",
        "24 maanden",
    ):
        assert expected in text, expected
    import io

    from pypdf import PdfReader

    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_it_prints_html_and_template_syntax_in_the_text_literally_and_fetches_nothing(make_complaint):
    complaint = make_complaint(name="<script>alert(1)</script> {{ naam }}", description=HOSTILE)
    fetcher = AssetFetcher()
    data = render_content(content(complaint, body=HOSTILE), fetcher=fetcher)
    text = pdf_text(data)
    assert '<img src="http://evil.example/x.png">' in text
    assert "{% load static %}{% debug %}" in text
    assert "{{ request.user }}" in text
    assert "file:///etc/passwd" in text
    assert '@import url("http://evil.example/a.css");' in text
    assert "<script>alert(1)</script> {{ naam }}" in text
    # Only the bundled stylesheet was asked for; nothing the text mentions.
    assert fetcher.served == ["asset:letter.css"]
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:1/x.png",
        "https://evil.example/a.css",
        "file:///etc/passwd",
        "data:image/png;base64,iVBORw0KGgo=",
        "asset:../settings.py",
        "asset:/etc/passwd",
        "ftp://evil.example/x",
    ],
)
def test_the_fetcher_refuses_everything_but_its_own_assets(url):
    fetcher = AssetFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_raw_html_that_points_outside_is_rendered_without_fetching_it():
    # Defence in depth: even markup that reaches WeasyPrint unescaped fetches nothing.
    html = """<html><head><link rel="stylesheet" href="http://127.0.0.1:9/a.css">
    <style>@import url("file:///etc/passwd"); body { background: url(http://127.0.0.1:9/bg.png); }
    @font-face { font-family: X; src: url(https://fonts.example/x.woff2); }</style></head>
    <body style="font-family: X"><img src="file:///etc/hostname"><img src="http://169.254.169.254/latest">
    <iframe src="http://127.0.0.1:9/"></iframe><object data="file:///etc/passwd"></object>
    <p>Hallo</p></body></html>"""
    fetcher = AssetFetcher()
    data = html_to_pdf(html, fetcher=fetcher)
    assert "Hallo" in pdf_text(data)
    assert fetcher.served == []
    assert {"http://127.0.0.1:9/a.css", "file:///etc/passwd", "file:///etc/hostname"} <= set(fetcher.refused)
    assert all(not url.startswith("asset:") for url in fetcher.refused)


def test_it_shows_the_organisations_logo_when_one_is_set(make_complaint):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from organisation.selectors import get_organisation

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (11, 79, 138)).save(buffer, format="PNG")
    organisation = get_organisation()
    organisation.logo.save("logo.png", ContentFile(buffer.getvalue()))
    fetcher = AssetFetcher(logo=buffer.getvalue(), logo_type="image/png")
    data = render_content(content(make_complaint()), fetcher=fetcher)
    assert "asset:logo" in fetcher.served
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data


def test_a_letter_is_an_archival_tagged_pdf(make_complaint):
    from tests.support.pdf import assert_archival_and_tagged

    assert_archival_and_tagged(render_content(content(make_complaint())), title="Ontvangstbevestiging")
