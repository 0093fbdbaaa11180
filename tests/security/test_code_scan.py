"""The code scan `make audit` runs in CI, also in the test suite so a finding shows up where
people look first. A reviewed, harmless finding carries `# nosec` with the reason on the line above."""

import subprocess
import sys
from pathlib import Path

from django.conf import settings


def test_bandit_finds_nothing_of_medium_severity_or_more_in_our_code() -> None:
    bandit = Path(sys.executable).parent / "bandit"
    result = subprocess.run(
        [
            str(bandit),
            "-r",
            ".",
            "-x",
            "./.venv,./tests,./bench,./var,./staticfiles,./build,./node_modules",
            "-q",
            "-ll",
            "-ii",
            "-f",
            "custom",
            "--msg-template",
            "{relpath}:{line} {test_id} {msg}",
        ],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
