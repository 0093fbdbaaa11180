"""Dutch typography: month names in lower case, one date format per context, plurals."""

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import ngettext

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("language", "short", "long"),
    [("nl", "8 mei 2026", "8 mei 2026"), ("nl", "29 mrt 2026", "29 maart 2026"), ("en", "8 May 2026", "8 May 2026")],
)
def test_dates_are_written_as_the_language_writes_them(language: str, short: str, long: str) -> None:
    day = date(2026, 5, 8) if short.startswith("8") else date(2026, 3, 29)
    with translation.override(language):
        html = Template('{{ d|date:"SHORT_DATE_FORMAT" }}|{{ d|date:"DATE_FORMAT" }}').render(Context({"d": day}))
    assert html == f"{short}|{long}"


def test_a_moment_in_dutch_has_its_month_in_lower_case() -> None:
    with translation.override("nl"):
        html = Template('{{ at|date:"SHORT_DATETIME_FORMAT" }}').render(Context({"at": datetime(2026, 5, 8, 14, 30)}))
    assert html == "8 mei 2026 14:30"


def test_no_template_or_module_spells_out_its_own_month_format() -> None:
    """ "M" capitalises the month ("8 Mei 2026") and "N" abbreviates it the American way: pages
    use the named formats of klachtenregeling/formats/ instead."""
    pattern = re.compile(r"""(?:\|date:|date_filter\([^,\n]+, *|date_format\([^,\n]+, *)["']([^"'\n]*)["']""")
    found = []
    for path in ROOT.glob("*/**/*"):
        if ".venv" in path.parts or "tests" in path.parts or path.suffix not in {".html", ".txt", ".py"}:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8", errors="ignore")):
            if re.search("[MN]", match.group(1)) and not match.group(1).endswith("_FORMAT"):
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == []


@pytest.mark.parametrize(("count", "dutch"), [(1, "er is er nog 1."), (2, "er zijn er nog 2.")])
def test_counts_take_the_right_plural(count: int, dutch: str) -> None:
    with translation.override("nl"):
        text = ngettext(
            "You used a recovery code; %(count)s is left. Make new codes on the two-step login page.",
            "You used a recovery code; %(count)s are left. Make new codes on the two-step login page.",
            count,
        ) % {"count": count}
    assert dutch in text
