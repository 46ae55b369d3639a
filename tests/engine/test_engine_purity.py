"""The engine stays plain Python: importing it must not import Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_importing_the_engine_does_not_import_django() -> None:
    check = "import sys, scrutineer.engine; sys.exit('django' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", check], env={"PYTHONPATH": str(SRC)}, check=False)
    assert completed.returncode == 0
