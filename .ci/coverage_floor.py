"""Fail when a module of the package, or the whole, has less branch coverage than its floor.

Reads the coverage data that `make test` and `make check-office` leave
(.coverage) and checks every module and the total.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

FLOOR = 85.0
#: The total after make test and make check-office (94.2 % after make test alone, 2026-12):
#: a change that stops tracing a test that was the only one to reach a branch shows here.
TOTAL_FLOOR = 94.0
#: Modules a unit test cannot reach by design.
EXEMPT = {"ametijuhend_cli/__main__.py"}


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "coverage.json"
        subprocess.run(
            [sys.executable, "-m", "coverage", "json", "-q", "-o", str(report)], check=True
        )
        measured = json.loads(report.read_text(encoding="utf-8"))
    files = measured["files"]
    total = measured["totals"]["percent_covered"]
    low = {
        name: data["summary"]["percent_covered"]
        for name, data in sorted(files.items())
        if name not in EXEMPT and data["summary"]["percent_covered"] < FLOOR
    }
    for name, percent in low.items():
        print(f"{name}: {percent:.1f} % branch coverage, below the floor of {FLOOR:.0f} %")
    if not low:
        print(f"every module has at least {FLOOR:.0f} % branch coverage ({len(files)} modules)")
    if total < TOTAL_FLOOR:
        print(f"the package: {total:.1f} % branch coverage, below the floor of {TOTAL_FLOOR:.0f} %")
    else:
        print(f"the package has {total:.1f} % branch coverage (floor {TOTAL_FLOOR:.0f} %)")
    return 1 if low or total < TOTAL_FLOOR else 0


if __name__ == "__main__":
    sys.exit(main())
