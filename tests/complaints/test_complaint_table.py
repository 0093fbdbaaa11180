"""The complaint tables ("my work", the list, the search results): their rows come from a Jinja2
template (complaints/jinja2/complaints/complaint_rows.html), escaped and in the page's language."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.conftest import ComplaintFactory

pytestmark = pytest.mark.django_db


def list_page(user: User, language: str) -> str:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(reverse("complaints:list")).content.decode()


def test_a_row_links_the_reference_and_escapes_the_name(
    quality_manager: User, make_complaint: ComplaintFactory
) -> None:
    complaint = make_complaint(name="<script>alert('Jan')</script> & Zn.")

    page = list_page(quality_manager, "nl")

    assert f'<a href="{reverse("complaints:detail", args=[complaint.reference])}">{complaint.reference}</a>' in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#39;Jan&#39;)&lt;/script&gt; &amp; Zn." in page


@pytest.mark.parametrize(
    ("language", "channel", "status", "deadline"),
    [("nl", "webformulier", "ontvangen", "Ontvangstbevestiging"), ("en", "web form", "received", "Acknowledgement")],
)
def test_the_rows_speak_the_pages_language(
    quality_manager: User, make_complaint: ComplaintFactory, language: str, channel: str, status: str, deadline: str
) -> None:
    make_complaint()

    page = list_page(quality_manager, language)

    assert f">{channel}</td>" in page
    assert f">{status}</td>" in page
    assert f'<span class="visually-hidden">{deadline}: </span>' in page
