"""Benchmark ametijuhend on N synthetic positions, side by side with pandoc and docxtpl.

Usage (from the repository root, after `make venv`):

    .venv/bin/python benchmarks/run.py [--n 1000] [--runs 5] [--jobs 2] [--sample 50]
        [--baseline DIR] [--only NAME ...] [--keep DIR]

Measures, as whole processes (median of --runs, after one warm-up): cold full
build (DOCX + Markdown) with one process and with --jobs, no-change rebuild,
rebuild after one library edit, a build of one position that is current and
of one that must be rendered, import of the four reference texts, validate
and --help; peak memory (the largest single process) from the operating
system's accounting; and the same documents through pandoc (Markdown → DOCX,
one process per document, as pandoc is used) and docxtpl (a Word template
rendered in one process), when they are installed, on --sample documents.
Prints milliseconds per document and the ratios to ametijuhend.

With --baseline DIR (the source tree of another version, e.g. from
``git archive v1 | tar -x -C DIR``), every command also runs with that
version, in its own copy of the project, in alternating runs, and the ratio
new/baseline is printed: on a shared machine only ratios taken in the same
rounds compare.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TOOL = [sys.executable, "-m", "ametijuhend_cli"]


def _env(baseline: Path | None) -> dict[str, str]:
    """Return the environment of a measured command: bytecode as an installed tool has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if baseline is not None:
        env["PYTHONPATH"] = str(baseline)
    else:
        env.pop("PYTHONPATH", None)
    return env


def measure(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, out: list[str] | None = None
) -> tuple[float, float]:
    """Return wall seconds and peak memory (MB) of one run of ``command``; with ``out``,
    its standard output is appended there."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as std:
        # files, not pipes: a pipe could fill up and stall the command
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            stdout=std if out is not None else subprocess.DEVNULL,
            stderr=err,
            env=env or _env(None),
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {err.read().decode()}")
        if out is not None:
            std.seek(0)
            out.append(std.read().decode())
    return wall, usage.ru_maxrss / 1024


class Side:
    """One version under test: where it runs and with which environment."""

    def __init__(self, work: Path, baseline: Path | None = None):
        self.work = work
        self.env = _env(baseline)


def repeat(
    runs: int,
    command: list[str],
    sides: list[Side],
    before: Callable[[Side], None] | None = None,
) -> list[tuple[float, float]]:
    """Return, per side, the median wall seconds and the largest peak memory over ``runs``
    runs; the sides take turns, run by run, so that a drift of the machine hits both."""
    walls: list[list[float]] = [[] for _ in sides]
    peaks: list[list[float]] = [[] for _ in sides]
    for i in range(runs + 1):  # the first run warms the file cache and is not counted
        for k, side in enumerate(sides):
            if before is not None:
                before(side)
            wall, peak = measure(command, side.work, side.env)
            if i:
                walls[k].append(wall)
                peaks[k].append(peak)
    return [(statistics.median(w), max(p)) for w, p in zip(walls, peaks, strict=True)]


def pandoc_per_document(project: Path, sample: int, runs: int) -> float | None:
    """Return the median seconds pandoc takes to turn one Markdown file into DOCX."""
    pandoc = shutil.which("pandoc")
    if pandoc is None:
        return None
    docs = sorted((project / "out").glob("*.md"))[:sample]
    out = project / "pandoc"
    out.mkdir(exist_ok=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for md in docs:
            subprocess.run([pandoc, str(md), "-o", str(out / (md.stem + ".docx"))], check=True)
        times.append((time.perf_counter() - start) / len(docs))
    return statistics.median(times)


_DOCXTPL_SCRIPT = r"""
import sys, time, yaml
from pathlib import Path
from docx import Document
from docxtpl import DocxTemplate
sys.path.insert(0, {root!r})
from ametijuhend_cli.sources.paths import find_project
paths = find_project(Path.cwd(), Path({project!r}))
try:
    from ametijuhend_cli.checking.engine import checked_project
except ImportError:  # a baseline from before the one check engine
    from ametijuhend_cli.build.checks import load
    project, templates, views = load(paths)
else:
    checked = checked_project(paths, views=True)
    project, templates, views = checked.project, checked.templates, checked.views
views = list(views.values())[:{sample}]
doc = Document()
doc.add_paragraph("{{{{ d.title }}}}", style="Title")
for key in ("purpose", "work_tools"):
    doc.add_paragraph("{{{{ d." + key + " }}}}")
table = doc.add_table(rows=3, cols=2)
table.cell(0, 0).text = "Põhiülesanded"
table.cell(0, 1).text = "Oodatavad tulemused"
table.cell(1, 0).text = "{{%tr for t in d.tasks %}}"
table.cell(2, 0).text = "{{{{ t.number }}}} {{{{ t.text }}}}"
table.cell(2, 1).text = "{{%p for r in t.results %}}"
table.cell(2, 1).add_paragraph("{{{{ r }}}}", style="List Bullet")
table.cell(2, 1).add_paragraph("{{%p endfor %}}")
table.add_row().cells[0].text = "{{%tr endfor %}}"
for key in ("rights", "responsibilities", "knowledge", "amendment"):
    doc.add_paragraph("{{%p for i in d." + key + " %}}")
    doc.add_paragraph("{{{{ i }}}}", style="List Bullet")
    doc.add_paragraph("{{%p endfor %}}")
doc.add_paragraph("{{%p for c in d.core_competencies + d.competencies %}}")
doc.add_paragraph("{{{{ c.name }}}}: {{{{ c.text }}}}", style="List Bullet")
doc.add_paragraph("{{%p endfor %}}")
template = Path({out!r}) / "template.docx"
doc.save(template)
start = time.perf_counter()
for i, view in enumerate(views):
    tpl = DocxTemplate(template)
    tpl.render({{"d": view}})
    tpl.save(Path({out!r}) / f"{{i}}.docx")
print((time.perf_counter() - start) / len(views))
"""


def docxtpl_per_document(project: Path, sample: int, runs: int) -> float | None:
    """Return the median seconds docxtpl takes to render one document from a template."""
    try:
        import docxtpl  # noqa: F401
    except ImportError:
        return None
    out = project / "docxtpl"
    out.mkdir(exist_ok=True)
    script = _DOCXTPL_SCRIPT.format(
        root=str(ROOT), project=str(project / "data"), sample=sample, out=str(out)
    )
    results = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=project
        )
        results.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(results)


ALL = (
    "floor",
    "cold",
    "cold-jobs",
    "rebuild",
    "check",
    "library-edit",
    "one-current",
    "one-render",
    "import",
    "validate",
    "help",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="positions to generate")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each command")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=50, help="documents for pandoc, docxtpl")
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    parser.add_argument("--baseline", type=Path, help="source tree of a version to compare")
    parser.add_argument("--only", nargs="+", choices=ALL, default=list(ALL))
    parser.add_argument(
        "--reuse", action="store_true", help="with --keep: use the project already there"
    )
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="ametijuhend-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reuse = args.reuse and (work / "data").is_dir()
    if not reuse:
        generate(args.n, work)
    sides = [Side(work)]
    if args.baseline is not None:
        copy = work.with_name(work.name + "-baseline")
        if not (reuse and copy.is_dir()):
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(work, copy)
        sides.append(Side(copy, args.baseline.resolve()))
    n = args.n
    rows: list[tuple[str, list[tuple[float, float]], bool]] = []
    floor = None
    for name in args.only:
        if name == "floor":
            floor = _floor(args.runs, sides)
            continue
        label, results, per_doc = _run(name, args, sides)
        rows.append((label, results, per_doc))
    _report(args, rows, n)
    if floor is not None:
        _report_floor(floor)
    cold = [results for label, results, _ in rows if label.startswith("cold full build, 1")]
    if cold:
        _compare_others(args, work, cold[0][0][0] / n)
    if args.keep is None:
        for side in sides:
            shutil.rmtree(side.work, ignore_errors=True)


def _run(
    name: str, args: argparse.Namespace, sides: list[Side]
) -> tuple[str, list[tuple[float, float]], bool]:
    """Return the label, the results per side and whether a per-document time makes sense."""
    runs = args.runs
    one = "ametikoht-00005"

    def clean(side: Side) -> None:
        shutil.rmtree(side.work / "out", ignore_errors=True)

    def built(side: Side) -> None:  # the outputs are there and current
        measure([*TOOL, "build"], side.work, side.env)

    if name == "cold":
        return (
            "cold full build, 1 process",
            repeat(runs, [*TOOL, "build", "-j1"], sides, clean),
            True,
        )
    if name == "cold-jobs":
        command = [*TOOL, "build", "--jobs", str(args.jobs)]
        return f"cold full build, --jobs {args.jobs}", repeat(runs, command, sides, clean), True
    for side in sides:
        built(side)
    if name == "rebuild":
        return "no-change rebuild", repeat(runs, [*TOOL, "build"], sides), False
    if name == "check":
        return "check (CI gate)", repeat(runs, [*TOOL, "build", "--check"], sides), False
    if name == "library-edit":
        return "rebuild after one library edit", _library_edit(runs, sides), False
    if name == "one-current":
        return "build ONE, current", repeat(runs, [*TOOL, "build", one], sides), False
    if name == "one-render":
        command = [*TOOL, "build", "--force", one]
        return "build ONE, rendered", repeat(runs, command, sides), False
    if name == "import":
        texts = sorted(str(p) for p in (ROOT / "tests" / "reference").glob("*.txt"))
        command = [*TOOL, "import", *texts, "--to", "imported", "--force"]

        def folder(side: Side) -> None:
            (side.work / "imported").mkdir(exist_ok=True)

        return "import of 4 documents", repeat(runs, command, sides, folder), False
    if name == "validate":
        command = [*TOOL, "validate", "--today", "2026-01-01"]
        return "validate", repeat(runs, command, sides), False
    return "--help", repeat(runs, [*TOOL, "--help"], sides), False


class FloorResult:
    """The floor script beside a cold one-process build, measured in the same rounds."""

    def __init__(self) -> None:
        keys = ("floor", "build", "small", "base-build", "base-small")
        self.walls: dict[str, list[float]] = {k: [] for k in keys}
        self.peaks: dict[str, list[float]] = {k: [] for k in keys}
        #: the floor's own in-process ms per document: with the YAML read, without it
        self.with_yaml: list[float] = []
        self.without_yaml: list[float] = []
        self.n = 0
        self.small = 0

    def wall(self, key: str) -> float:
        """Return the median wall seconds of ``key``."""
        return statistics.median(self.walls[key])

    def build_per_document(self, prefix: str = "") -> float:
        """Return the build's cost of one more document in ms, start-up excluded: the
        difference between the build of N positions and of the first few, per position
        (``prefix`` "base-": the baseline's)."""
        big, small = self.wall(prefix + "build"), self.wall(prefix + "small")
        return (big - small) / (self.n - self.small) * 1000


_FLOOR_LINE = re.compile(r"([\d.]+) ms each with the YAML read, ([\d.]+) ms without it")


def _floor(runs: int, sides: list[Side]) -> FloorResult:
    """Return the floor script's and a cold one-process build's results, in alternate runs.

    The build also runs on a copy of the project holding only its first tenth of
    the positions, so that its cost per document can be told from its start-up
    (the floor script reports its own per-document cost, measured in-process).
    With a baseline, its builds take turns with these.
    """
    result = FloorResult()
    side = sides[0]
    files = sorted((side.work / "data" / "positions").iterdir())
    result.n, result.small = len(files), max(1, len(files) // 10)
    smalls = [_first_positions(s.work, files[: result.small]) for s in sides]
    floor_out = side.work / "floor"
    floor = [sys.executable, str(HERE / "floor.py"), str(side.work), str(floor_out)]
    build = [*TOOL, "build", "-j1"]
    steps = [("floor", floor, side.work, floor_out, side.env)]
    for prefix, each, small in zip(("", "base-")[: len(sides)], sides, smalls, strict=True):
        steps.append((prefix + "build", build, each.work, each.work / "out", each.env))
        steps.append((prefix + "small", build, small, small / "out", each.env))
    for i in range(runs + 1):
        for key, command, cwd, folder, env in steps:
            shutil.rmtree(folder, ignore_errors=True)
            printed: list[str] = []
            wall, peak = measure(command, cwd, env, printed if key == "floor" else None)
            if not i:
                continue
            result.walls[key].append(wall)
            result.peaks[key].append(peak)
            found = _FLOOR_LINE.search("".join(printed))
            if found:
                result.with_yaml.append(float(found.group(1)))
                result.without_yaml.append(float(found.group(2)))
    shutil.rmtree(floor_out, ignore_errors=True)
    for small in smalls:
        shutil.rmtree(small, ignore_errors=True)
    return result


def _first_positions(work: Path, files: list[Path]) -> Path:
    """Return a copy of the project in ``work`` with only the position ``files``."""
    small = work.with_name(work.name + "-small")
    shutil.rmtree(small, ignore_errors=True)
    shutil.copytree(work / "data", small / "data", ignore=shutil.ignore_patterns("positions"))
    (small / "data" / "positions").mkdir()
    for path in files:
        shutil.copy(path, small / "data" / "positions" / path.name)
    return small


def _report_floor(result: FloorResult) -> None:
    """Print the build's ratios to the floor, as whole processes and per document."""
    floor, build = result.wall("floor"), result.wall("build")
    per_doc = result.build_per_document()
    with_yaml = statistics.median(result.with_yaml)
    without_yaml = statistics.median(result.without_yaml)
    print(
        f"floor (floor.py, DOCX only), whole process: {floor:.3f} s, "
        f"peak {max(result.peaks['floor']):.0f} MB\n"
        f"cold build, 1 process, whole process: {build:.3f} s, "
        f"peak {max(result.peaks['build']):.0f} MB: {build / floor:.2f}× the floor\n"
        f"per document, start-up excluded (build: ({build:.3f} s − "
        f"{result.wall('small'):.3f} s for the first {result.small}) / "
        f"{result.n - result.small}; floor: in-process):\n"
        f"  build {per_doc:.3f} ms; floor with the YAML read {with_yaml:.3f} ms "
        f"({per_doc / with_yaml:.2f}× it), without it {without_yaml:.3f} ms "
        f"({per_doc / without_yaml:.2f}× it)"
    )
    if result.walls["base-build"]:
        base = result.build_per_document("base-")
        print(
            f"  baseline: whole process {result.wall('base-build'):.3f} s "
            f"({result.wall('base-build') / floor:.2f}× the floor), per document "
            f"{base:.3f} ms ({base / with_yaml:.2f}× and {base / without_yaml:.2f}× the "
            f"floors); new/baseline per document {per_doc / base:.2f}"
        )


def _library_edit(runs: int, sides: list[Side]) -> list[tuple[float, float]]:
    """Return the results of rebuilds after one library edit (a right used by about half)."""
    flips: dict[Path, bool] = {}

    def edit(side: Side) -> None:
        rights = side.work / "data" / "library" / "rights.yaml"
        text = rights.read_text(encoding="utf-8")
        flipped = not flips.get(rights, False)
        flips[rights] = flipped
        old, new = (
            ("vahetu juhiga", "otsese juhiga") if flipped else ("otsese juhiga", "vahetu juhiga")
        )
        rights.write_text(text.replace(old, new), encoding="utf-8")

    results = repeat(runs, [*TOOL, "build"], sides, edit)
    for rights, flipped in flips.items():
        if flipped:
            text = rights.read_text(encoding="utf-8")
            rights.write_text(text.replace("otsese juhiga", "vahetu juhiga"), encoding="utf-8")
    return results


def _report(
    args: argparse.Namespace, rows: list[tuple[str, list[tuple[float, float]], bool]], n: int
) -> None:
    print(
        f"ametijuhend benchmark: {n} positions, median of {args.runs} runs, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    header = f"{'what':36} {'seconds':>9} {'ms/doc':>8} {'peak MB':>8}"
    if args.baseline is not None:
        header += f" {'baseline s':>10} {'peak MB':>8} {'new/base':>9}"
    print(header)
    for name, results, per_doc in rows:
        seconds, peak = results[0]
        ms = f"{seconds / n * 1000:8.2f}" if per_doc else f"{'':8}"
        line = f"{name:36} {seconds:9.3f} {ms} {peak:8.0f}"
        if len(results) > 1:
            base, base_peak = results[1]
            line += f" {base:10.3f} {base_peak:8.0f} {seconds / base:9.2f}"
        print(line)


def _compare_others(args: argparse.Namespace, work: Path, ours: float) -> None:
    """Print pandoc's and docxtpl's time per document against ametijuhend's (1 process)."""
    measure([*TOOL, "build", "--force"], work)
    print(
        f"\nper document and core (1 process): {ours * 1000:.2f} ms "
        f"(DOCX + Markdown, including start-up)"
    )
    for name, per in (
        (
            "pandoc (Markdown → DOCX, process per document)",
            pandoc_per_document(work, args.sample, args.runs),
        ),
        (
            "docxtpl (Word template, one process)",
            docxtpl_per_document(work, args.sample, args.runs),
        ),
    ):
        if per is None:
            print(f"{name}: not installed, skipped")
        else:
            print(
                f"{name}: {per * 1000:.1f} ms per document; ametijuhend is {per / ours:.1f}× faster"
            )


if __name__ == "__main__":
    main()
