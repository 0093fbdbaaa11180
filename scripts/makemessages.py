"""Update the Dutch catalogues: one per app (APP/locale/nl/LC_MESSAGES/django.po) and one
for the project-wide templates and lib (locale/). Needs GNU gettext (Debian: gettext).

Usage: .venv/bin/python scripts/makemessages.py [APP ...]   (no argument: all apps and the project)
       .venv/bin/python scripts/makemessages.py --project  (only the project catalogue, locale/)
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMAND = [sys.executable, str(ROOT / "manage.py"), "makemessages", "--settings=klachtenregeling.settings.messages"]
OPTIONS = ["-l", "nl", "--no-obsolete", "--no-location", "-i", "locale/*", "-i", "migrations/*"]


def apps() -> list[str]:
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py") if p.parent.name != "lib")


def update_app(app: str) -> None:
    (ROOT / app / "locale").mkdir(exist_ok=True)
    subprocess.run([*COMMAND, *OPTIONS], cwd=ROOT / app, check=True, capture_output=True)
    print(f"updated {app}/locale/nl/LC_MESSAGES/django.po")


def update_project() -> None:
    """The project catalogue: templates/ and lib/, everything outside the apps."""
    (ROOT / "locale").mkdir(exist_ok=True)
    ignores = [arg for app in apps() for arg in ("-i", f"{app}/*")]
    extra = [arg for d in (".venv", "tests", "scripts", "bench", "docs") for arg in ("-i", f"{d}/*")]
    subprocess.run([*COMMAND, *OPTIONS, *ignores, *extra], cwd=ROOT, check=True, capture_output=True)
    print("updated locale/nl/LC_MESSAGES/django.po")


def main(arguments: list[str]) -> None:
    # --project touches only the project catalogue, so it never rewrites an app's catalogue
    # someone else is translating.
    project_only = "--project" in arguments
    names = [name for name in arguments if name != "--project"]
    for app in names or ([] if project_only else apps()):
        update_app(app)
    if project_only or not names:
        update_project()


if __name__ == "__main__":
    main(sys.argv[1:])
