"""How `validate` scales: memory per position, and its time beside a cold build's.

Usage (from the repository root, after `make venv`):

    .venv/bin/python benchmarks/validate_scale.py [--small 1000] [--large 10000] [--runs 3]
        [--keep DIR] [--baseline DIR]

Generates two projects (benchmarks/generate.py; with --keep they are kept in
DIR/small and DIR/large and reused), and measures as whole processes, median
of --runs after a warm-up:

- `validate --today 2026-01-01` on both, and its peak memory (the largest
  single process, from the operating system's accounting): the growth per
  extra position is what holding the project costs;
- on the large one, `validate` and a cold `build` (every core, empty output
  folder) in alternating runs: the ratio validate/build.

With --baseline DIR (the source tree of another version), its validate runs
too, in alternating runs, for a before/after of the same sitting.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import TOOL, Side, measure  # noqa: E402

VALIDATE = [*TOOL, "validate", "--today", "2026-01-01"]


def _project(root: Path, name: str, n: int) -> Path:
    folder = root / name
    if not (folder / "data").is_dir():
        generate(n, folder)
    return folder


def _medians(results: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def _validate(runs: int, sides: list[Side]) -> list[tuple[float, float]]:
    """Return the median wall time and peak memory of validate, per side, alternating."""
    done: list[list[tuple[float, float]]] = [[] for _ in sides]
    for i in range(runs + 1):
        for j, side in enumerate(sides):
            result = measure(VALIDATE, side.work, side.env)
            if i:  # the first round warms the caches up
                done[j].append(result)
    return [_medians(r) for r in done]


def _beside_build(runs: int, side: Side) -> tuple[float, float]:
    """Return the median times of validate and of a cold build, in alternating runs."""
    walls: dict[str, list[float]] = {"validate": [], "build": []}
    for i in range(runs + 1):
        shutil.rmtree(side.work / "out", ignore_errors=True)
        build = measure([*TOOL, "build"], side.work, side.env)[0]
        check = measure(VALIDATE, side.work, side.env)[0]
        if i:
            walls["build"].append(build)
            walls["validate"].append(check)
    return statistics.median(walls["validate"]), statistics.median(walls["build"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate the projects here and keep them")
    parser.add_argument("--baseline", type=Path, help="source tree of a version to compare")
    args = parser.parse_args()
    if args.runs < 1 or args.large <= args.small:
        parser.error("--runs must be at least 1, and --large larger than --small")
    root = args.keep or Path(tempfile.mkdtemp(prefix="ametijuhend-validate-"))
    sizes = {"small": args.small, "large": args.large}
    peaks: dict[str, list[tuple[float, float]]] = {}
    for name, n in sizes.items():
        folder = _project(root, name, n)
        sides = [Side(folder)]
        if args.baseline is not None:
            sides.append(Side(folder, args.baseline.resolve()))
        peaks[name] = _validate(args.runs, sides)
    print(f"validate, median of {args.runs} runs:")
    for i, label in enumerate(["this version", "baseline"][: len(peaks["small"])]):
        (s_wall, s_peak), (l_wall, l_peak) = peaks["small"][i], peaks["large"][i]
        per = (l_peak - s_peak) * 1024 / (args.large - args.small)
        print(
            f"  {label}: {args.small} positions {s_wall:.2f} s {s_peak:.0f} MB, "
            f"{args.large} positions {l_wall:.2f} s {l_peak:.0f} MB: "
            f"{per:.1f} KB per extra position"
        )
    check, build = _beside_build(args.runs, Side(root / "large"))
    print(
        f"beside a cold build ({args.large} positions, every core): validate {check:.2f} s, "
        f"build {build:.2f} s: validate is {check / build:.0%} of the build"
    )
    if args.keep is None:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
