"""The command line: output, options, exit codes and documentation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ametijuhend_cli.cli import cli
from conftest import POSITIONS, REPO, run


def test_build_reports_each_file_and_a_summary(project: Path) -> None:
    result = run("build", "--today", "2024-06-01")
    assert result.exit_code == 0
    expected = [f"wrote out/{p}.{fmt}" for p in POSITIONS for fmt in ("md", "docx")]
    # the sample's warnings: see test_validate_ok
    assert result.stdout.splitlines() == [*expected, "built 4 positions, 8 files, 4 warnings"]
    again = run("build", POSITIONS[0], "--today", "2024-06-01")
    assert again.stdout.splitlines() == [
        f"unchanged out/{POSITIONS[0]}.md",
        f"unchanged out/{POSITIONS[0]}.docx",
        "built 1 position, 2 files, 4 warnings",
    ]


def test_build_strict_fails_on_warnings(project: Path) -> None:
    result = run("build", "--strict", "--today", "2024-06-01")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.endswith(
        "4 problems in 4 files (warnings count under --strict); nothing was written\n"
    )
    assert not (project / "out").exists()


def test_build_one_format_into_another_folder(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    result = run("build", "teenusejuht-kov", "--format", "docx", "--out", str(target))
    assert result.exit_code == 0
    assert sorted(p.name for p in target.iterdir()) == ["teenusejuht-kov.docx"]
    assert not (project / "out").exists()


def test_data_option_and_project_file(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "validate", "--data", str(project / "data")],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (project / "ametijuhend.yaml").write_text("out: dokumendid\n", encoding="utf-8")
    sub = project / "data" / "positions"
    built = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli", "build", "--format", "md"],
        cwd=sub,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert (project / "dokumendid" / "teenusejuht-kov.md").is_file()


def test_bad_project_file(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("output: x\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith("ametijuhend.yaml:1:1: output: unknown field 'output'\n")


def test_validate_ok(project: Path) -> None:
    # The sample data is true to the reference documents: they record no review
    # date, and two of them word one right in two ways.
    result = run("validate", "--today", "2025-03-01")
    assert (result.exit_code, result.stdout) == (0, "ok: 4 positions, 5 warnings\n")
    never = "warning: never reviewed; reviews are due every 12 months"
    hint = "    hint: after the review, record its date: 'reviewed: YYYY-MM-DD'"
    assert result.stderr.splitlines() == [
        "data/library/rights.yaml:12:1: warning: esindada: the right 'esindada' is nearly "
        "identical to 'osaleda-ja-esindada' (line 7)",
        "    hint: keep one wording, use 'osaleda-ja-esindada' or 'esindada' in every position",
        f"data/positions/ekspert-kriisiabi.yaml:2:1: {never}",
        hint,
        "data/positions/koordinaator-klat.yaml:12:9: warning: approval.date: the review was due "
        "2025-02-12 (last reviewed 2024-02-12); reviews are due every 12 months",
        hint,
        f"data/positions/koordinaator-ringist-valja.yaml:2:1: {never}",
        hint,
        f"data/positions/teenusejuht-kov.yaml:2:1: {never}",
        hint,
    ]


def test_validate_without_warnings(project: Path) -> None:
    positions = project / "data/positions"
    for path in positions.glob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8") + "reviewed: 2025-01-15\n", encoding="utf-8"
        )
    rights = project / "data/library/rights.yaml"
    rights.write_text(
        rights.read_text(encoding="utf-8").replace("esindada: esindada", "esindada: kaitsta"),
        encoding="utf-8",
    )
    result = run("validate", "--strict", "--today", "2025-03-01")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 4 positions, no problems\n",
        "",
    )


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("ametijuhend, version ")


def test_help_does_not_import_the_renderers() -> None:
    code = (
        "import sys; from ametijuhend_cli.cli import cli\n"
        "try:\n    cli(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('docx', 'jinja2', 'pydantic', 'yaml') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command: str) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`ametijuhend {command}" in readme
    help_text = run(command, "--help").stdout
    assert "Example" in help_text


def test_pdf_without_libreoffice(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ametijuhend_cli.office.find_soffice", lambda: None)
    result = run("build", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --format pdf needs LibreOffice, which is not installed; install it "
        "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or use --format docx "
        "and convert in Word\n"
    )
    assert not (project / "out").exists()
