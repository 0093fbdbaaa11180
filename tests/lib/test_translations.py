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
from django.apps import apps

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


def translation(entry: polib.POEntry) -> tuple[str, ...]:
    """An entry's Dutch: its msgstr, or for a plural its msgstr_plural forms in order."""
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def test_no_string_is_translated_differently_in_two_catalogues() -> None:
    """Django merges the catalogues into one, the app listed first in INSTALLED_APPS winning, so
    a string (msgctxt and msgid) translated differently in two apps shows one app's word in the
    other: give it a context (pgettext) in each, or the same translation."""
    found: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = {}
    for name, catalogue in sorted(catalogues(ROOT).items()):
        for entry in catalogue:
            if not entry.obsolete and any(translation(entry)):
                found.setdefault((entry.msgctxt, entry.msgid), {}).setdefault(translation(entry), []).append(name)
    collisions = [
        f"{key}: " + "; ".join(f"{' / '.join(dutch)!r} in {', '.join(names)}" for dutch, names in by_dutch.items())
        for key, by_dutch in sorted(found.items(), key=lambda item: (item[0][0] or "", item[0][1]))
        if len(by_dutch) > 1
    ]
    assert not collisions, "translated differently in two catalogues:\n" + "\n".join(collisions)


def test_no_app_listed_before_ours_translates_one_of_our_strings_differently() -> None:
    """Django's own apps (admin, auth, ...) come before ours in INSTALLED_APPS, so their word wins
    over the one in an app's catalogue of ours; only the project catalogue (locale/, in
    LOCALE_PATHS) wins over theirs."""
    project = entries(polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po")))
    theirs: dict[tuple[str | None, str], tuple[tuple[str, ...], str]] = {}
    clashes = []
    for config in apps.get_app_configs():
        folder = Path(config.path) / "locale/nl/LC_MESSAGES"
        ours = ROOT in folder.parents and ".venv" not in folder.parts
        if ours and (folder / "django.po").exists():
            for entry in polib.pofile(str(folder / "django.po")):
                key = (entry.msgctxt, entry.msgid)
                if key in theirs and key not in project and not entry.obsolete and any(translation(entry)):
                    dutch, app = theirs[key]
                    if dutch != translation(entry):
                        clashes.append(f"{key}: {translation(entry)} in {config.label}, but {dutch} in {app}")
        elif not ours and (folder / "django.mo").exists():
            for entry in polib.mofile(str(folder / "django.mo")):
                if entry.msgid and any(translation(entry)):
                    theirs.setdefault((entry.msgctxt, entry.msgid), (translation(entry), config.label))
    assert not clashes, "translated differently by an app listed earlier:\n" + "\n".join(clashes)
