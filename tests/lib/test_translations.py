"""Every string the code and the templates mark for translation has its Dutch translation.

The catalogues are brought up to date in a copy of the project (scripts/makemessages.py, as a
maintainer runs it after a change); a string that moved between apps, or a new one nobody
translated, then shows up as a new entry or an entry that lost its translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext (Debian: gettext)")


def catalogues(root: Path) -> dict[str, polib.POFile]:
    paths = [*root.glob("*/locale/nl/LC_MESSAGES/django.po"), root / "locale/nl/LC_MESSAGES/django.po"]
    return {str(path.relative_to(root)): polib.pofile(str(path)) for path in paths if ".venv" not in path.parts}


def entries(catalogue: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in catalogue if not entry.obsolete}


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, polib.POFile]:
    """The catalogues as scripts/makemessages.py leaves them, run on a copy of the project."""
    copy = tmp_path_factory.mktemp("project")
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in files:
        if (ROOT / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    subprocess.run([sys.executable, "scripts/makemessages.py"], cwd=copy, check=True, capture_output=True)
    return catalogues(copy)


def test_every_entry_of_every_catalogue_is_translated_and_not_fuzzy() -> None:
    for name, catalogue in catalogues(ROOT).items():
        missing = [entry.msgid for entry in catalogue.untranslated_entries()]
        fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
        assert not missing, f"{name}: no Dutch for {missing}"
        assert not fuzzy, f"{name}: fuzzy {fuzzy}"


def test_the_catalogues_hold_every_string_the_code_and_templates_mark(updated: dict[str, polib.POFile]) -> None:
    current = catalogues(ROOT)
    assert sorted(updated) == sorted(current)
    for name, catalogue in updated.items():
        new = entries(catalogue) - entries(current[name])
        gone = entries(current[name]) - entries(catalogue)
        assert not new, f"{name}: strings without a Dutch translation yet: {sorted(new)}"
        assert not gone, f"{name}: entries no string uses any more (or that moved to another app): {sorted(gone)}"
