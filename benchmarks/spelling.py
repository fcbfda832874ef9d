"""What the spelling check costs: `validate` with and without --spelling on a generated project.

Usage (from the repository root, after `make venv-keel`):

    .venv/bin/python benchmarks/spelling.py [--positions 1000] [--runs 3] [--keep DIR]

Generates a project (benchmarks/generate.py) with the sample project's word
list, and measures whole processes, median of --runs after a warm-up, in
alternating runs: `validate` and `validate --spelling`. It prints both, the
difference per position and how many words the speller reported.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import ROOT, generate  # noqa: E402
from run import TOOL, _env, measure  # noqa: E402

VALIDATE = [*TOOL, "validate", "--today", "2026-01-01"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into DIR (reused when there)")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp(prefix="aj-spelling-"))
    try:
        if not (root / "data").is_dir():
            generate(args.positions, root)
        shutil.copy(ROOT / "data" / "words.txt", root / "data" / "words.txt")
        env = {**_env(None), "AMETIJUHEND_LANG": "en"}
        times: dict[str, list[float]] = {"plain": [], "spelling": []}
        for i in range(args.runs + 1):
            for name, extra in (("plain", []), ("spelling", ["--spelling"])):
                seconds, _memory = measure([*VALIDATE, *extra], root, env)
                if i:  # the first round warms the caches up
                    times[name].append(seconds)
        plain, spelled = (statistics.median(times[k]) for k in ("plain", "spelling"))
        found = subprocess.run(
            [*VALIDATE, "--spelling"], cwd=root, capture_output=True, text=True, check=False
        ).stderr.count("unknown word")
        print(f"validate of {args.positions} positions: {plain:.2f} s")
        print(f"validate --spelling:              {spelled:.2f} s")
        print(
            f"the spelling check: {spelled - plain:+.2f} s "
            f"({(spelled - plain) / args.positions * 1000:.2f} ms a position); "
            f"{found} unknown words reported"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
