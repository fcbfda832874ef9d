"""The command line: output, options, exit codes and documentation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ametijuhend_cli.cli import cli
from conftest import POSITIONS, REPO, run


def test_build_reports_each_file_and_a_summary(project: Path) -> None:
    result = run("build")
    assert result.exit_code == 0
    expected = [f"wrote out/{p}.{fmt}" for p in POSITIONS for fmt in ("md", "docx")]
    assert result.stdout.splitlines() == [
        *expected,
        "built 4 positions: 8 files written, 0 unchanged",
    ]
    again = run("build", POSITIONS[0])
    assert again.stdout.splitlines() == ["built 1 position: 0 files written, 2 unchanged"]


def test_build_one_format_into_another_folder(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    result = run("build", "teenusejuht-kov", "--format", "docx", "--out", str(target))
    assert result.exit_code == 0
    assert sorted(p.name for p in target.iterdir()) == [
        ".ametijuhend-manifest",
        "teenusejuht-kov.docx",
    ]
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
    result = run("validate")
    assert (result.exit_code, result.stdout) == (0, "ok: 4 positions, no problems\n")


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
