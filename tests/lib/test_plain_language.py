"""The letters and the public pages speak plain Dutch (taalniveau B1), checked by two rules that
B1 writing guides share: a sentence has at most MAX_WORDS words, and none of the officialese
of OFFICIALESE is used (each has a plain word that says the same)."""

import re
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client

from correspondence.defaults import DEFAULT_TEMPLATES
from organisation.selectors import get_organisation
from tests.reports.conftest import NOW, year_of_complaints

__all__ = ["year_of_complaints"]  # the fixture, used by name

MAX_WORDS = 25
# Officialese and the plain Dutch B1 guides give for it.
OFFICIALESE = {
    "naar aanleiding van": "over, omdat",
    "streven ernaar": "willen, proberen",
    "teneinde": "om",
    "middels": "met",
    "ten behoeve van": "voor",
    "alsmede": "en",
    "inzake": "over",
    "conform": "volgens",
    "onverwijld": "meteen",
    "derhalve": "daarom",
    "reeds": "al",
    "tevens": "ook",
    "indien": "als",
    "ten aanzien van": "over",
    "met betrekking tot": "over",
    "in de tussentijd": "intussen",
    "dient u te": "moet u",
    "gelieve": "wilt u",
}
PUBLIC_PAGES = ("/", "/klacht/", "/privacy/", "/toegankelijkheid/", "/klacht/status/nieuwe-link/")


class MainText(HTMLParser):
    """The text a person reads in <main>, one block element per line."""

    BLOCKS = {"p", "li", "h1", "h2", "h3", "dt", "dd", "label", "legend", "td", "th", "div", "summary", "button"}

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.depth += 1
        if tag in ("script", "style"):
            self.skip += 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "main":
            self.depth -= 1
        if tag in ("script", "style"):
            self.skip -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def sentences(text: str) -> list[str]:
    found = []
    for block in text.split("\n"):
        for sentence in re.split(r"(?<=[.!?:])\s+", " ".join(block.split())):
            if sentence:
                found.append(sentence)
    return found


def problems(text: str, where: str) -> list[str]:
    result = []
    for sentence in sentences(text):
        words = len(re.findall(r"[\w{}’'-]+", sentence))
        if words > MAX_WORDS:
            result.append(f"{where}: {words} words: {sentence}")
        for phrase, plain in OFFICIALESE.items():
            if re.search(rf"\b{phrase}\b", sentence, re.IGNORECASE):
                result.append(f"{where}: “{phrase}” (say: {plain}): {sentence}")
    return result


def test_the_letters_speak_plain_dutch() -> None:
    found = []
    for kind, (subject, body) in DEFAULT_TEMPLATES.items():
        found += problems(subject + "\n" + body, f"letter {kind}")
    assert not found, "\n".join(found)


@pytest.mark.django_db
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_the_public_pages_speak_plain_dutch(path: str) -> None:
    parser = MainText()
    parser.feed(Client().get(path).content.decode())
    assert "".join(parser.parts).strip()
    found = problems("".join(parser.parts), path)
    assert not found, "\n".join(found)


def test_the_published_annual_complaints_report_speaks_plain_dutch(year_of_complaints: object) -> None:
    organisation = get_organisation()
    organisation.publish_annual_report = True
    organisation.save()
    parser = MainText()
    with time_machine.travel(NOW, tick=False):
        parser.feed(Client().get("/jaarverslag/2025/").content.decode())
    text = "".join(parser.parts)
    assert "Jaarverslag klachten 2025" in text
    found = problems(text, "/jaarverslag/2025/")
    assert not found, "\n".join(found)


def test_the_rules_find_officialese_and_long_sentences() -> None:
    assert problems("Naar aanleiding van uw klacht bellen wij u.", "x")
    assert problems(" ".join(["woord"] * (MAX_WORDS + 1)) + ".", "x")
    assert not problems("Wij bellen u over uw klacht. U hoort binnen vijf werkdagen van ons.", "x")
