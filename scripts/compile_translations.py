"""Compile every .po file of the project to .mo (the binary catalogues Django reads).

Uses polib so that neither `make run` nor CI needs GNU gettext installed."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def main() -> int:
    count = 0
    for po_path in ROOT.rglob("locale/*/LC_MESSAGES/*.po"):
        if SKIP.intersection(po_path.relative_to(ROOT).parts):
            continue
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        count += 1
    print(f"compiled {count} translation catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
