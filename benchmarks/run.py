"""Benchmark ametijuhend on N synthetic positions, side by side with pandoc and docxtpl.

Usage (from the repository root, after `make venv`):

    .venv/bin/python benchmarks/run.py [--n 1000] [--runs 5] [--jobs 2] [--sample 50]

Measures, as whole processes (median of --runs, after one warm-up): cold full
build (DOCX + Markdown) with one process and with --jobs, no-change rebuild,
rebuild after one library edit, validate and --help; peak memory (the largest
single process) from the operating system's accounting; and the same
documents through pandoc (Markdown → DOCX, one process per document, as
pandoc is used) and docxtpl (a Word template rendered in one process), when
they are installed, on --sample documents. Prints milliseconds per document
and the ratios to ametijuhend.
"""

from __future__ import annotations

import argparse
import os
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


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Return wall seconds and peak memory (MB) of one run of ``command``."""
    with tempfile.TemporaryFile() as err:  # a pipe could fill up and stall the command
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"{' '.join(command)} failed: {err.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def repeat(
    runs: int, command: list[str], cwd: Path, before: Callable[[], None] | None = None
) -> tuple[float, float]:
    """Return the median wall seconds and the largest peak memory over ``runs`` runs."""
    walls, peaks = [], []
    for i in range(runs + 1):  # the first run warms the file cache and is not counted
        if before is not None:
            before()
        wall, peak = measure(command, cwd)
        if i:
            walls.append(wall)
            peaks.append(peak)
    return statistics.median(walls), max(peaks)


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
from ametijuhend_cli.build.checks import load
from ametijuhend_cli.sources.paths import find_project

project, templates, views = load(find_project(Path.cwd(), Path({project!r})))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="positions to generate")
    parser.add_argument("--runs", type=int, default=5, help="counted runs of each command")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--sample", type=int, default=50, help="documents for pandoc, docxtpl")
    parser.add_argument("--keep", type=Path, help="generate the project here and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="ametijuhend-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    generate(args.n, work)
    out = work / "out"
    n = args.n

    def clean() -> None:
        shutil.rmtree(out, ignore_errors=True)

    rights = work / "data" / "library" / "rights.yaml"
    original = rights.read_text(encoding="utf-8")
    flip = [False]

    def edit_library() -> None:
        flip[0] = not flip[0]
        rights.write_text(
            original.replace("vahetu juhiga", "otsese juhiga") if flip[0] else original,
            encoding="utf-8",
        )

    rows: list[tuple[str, float, float, float | None]] = []

    def row(name: str, seconds: float, peak: float, per_doc: bool = True) -> None:
        rows.append((name, seconds, peak, seconds / n * 1000 if per_doc else None))

    serial = repeat(args.runs, [*TOOL, "build", "--jobs", "1"], work, clean)
    row("cold full build, 1 process", *serial)
    parallel = repeat(args.runs, [*TOOL, "build", "--jobs", str(args.jobs)], work, clean)
    row(f"cold full build, --jobs {args.jobs}", *parallel)
    measure([*TOOL, "build"], work)
    row("no-change rebuild", *repeat(args.runs, [*TOOL, "build"], work), per_doc=False)
    row("check (CI gate)", *repeat(args.runs, [*TOOL, "build", "--check"], work), per_doc=False)
    row(
        "rebuild after one library edit",
        *repeat(args.runs, [*TOOL, "build"], work, edit_library),
        per_doc=False,
    )
    rights.write_text(original, encoding="utf-8")
    row(
        "validate",
        *repeat(args.runs, [*TOOL, "validate", "--today", "2026-01-01"], work),
        per_doc=False,
    )
    row("--help", *repeat(args.runs, [*TOOL, "--help"], work), per_doc=False)

    measure([*TOOL, "build", "--force"], work)
    ours = serial[0] / n
    print(
        f"ametijuhend benchmark: {n} positions, median of {args.runs} runs, "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(f"{'what':36} {'seconds':>9} {'ms/doc':>8} {'peak MB':>8}")
    for name, seconds, peak, per_doc in rows:
        ms = f"{per_doc:8.2f}" if per_doc is not None else f"{'':8}"
        print(f"{name:36} {seconds:9.3f} {ms} {peak:8.0f}")
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
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
