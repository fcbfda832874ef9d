"""Fail when a module of the package has less branch coverage than the floor.

Reads the coverage data that `make test` and `make check-office` leave
(.coverage) and checks every module, not only the total.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

FLOOR = 85.0
#: Modules a unit test cannot reach by design.
EXEMPT = {"ametijuhend_cli/__main__.py"}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "coverage.json"
        subprocess.run(
            [sys.executable, "-m", "coverage", "json", "-q", "-o", str(report)], check=True
        )
        files = json.loads(report.read_text(encoding="utf-8"))["files"]
    low = {
        name: data["summary"]["percent_covered"]
        for name, data in sorted(files.items())
        if name not in EXEMPT and data["summary"]["percent_covered"] < FLOOR
    }
    for name, percent in low.items():
        print(f"{name}: {percent:.1f} % branch coverage, below the floor of {FLOOR:.0f} %")
    if not low:
        print(f"every module has at least {FLOOR:.0f} % branch coverage ({len(files)} modules)")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
