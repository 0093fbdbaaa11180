"""The WSGI entry point loads every view up front and keeps what it loaded out of the garbage
collector's full passes, which would otherwise pause some request for tens of milliseconds."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import gc, json, sys
import klachtenregeling.wsgi
print(json.dumps({"frozen": gc.get_freeze_count(), "views_loaded": "reports.views" in sys.modules}))
"""


def test_the_wsgi_module_imports_the_views_and_freezes_them() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "klachtenregeling.settings.test", "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=True
    )
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["views_loaded"] is True
    assert found["frozen"] > 10_000
