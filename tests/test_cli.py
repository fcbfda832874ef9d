"""The command line: output, options, exit codes and documentation."""

from __future__ import annotations

import subprocess
import sys
import typing
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ametijuhend_cli.building.run import ALL_FORMATS
from ametijuhend_cli.cli import cli
from ametijuhend_cli.cli._common import EMPLOYMENT_CHOICES, FORMAT_CHOICES
from ametijuhend_cli.sources.projectfile import ProjectFile
from ametijuhend_cli.texts import EmploymentType
from conftest import POSITIONS, REPO, run, working_folder


def test_build_reports_each_file_and_a_summary(project: Path) -> None:
    result = run("build", "--today", "2024-06-01")
    assert result.exit_code == 0
    expected = [f"wrote out/{p}.{fmt}" for p in POSITIONS for fmt in ("md", "docx")]
    assert result.stdout.splitlines() == [
        *expected,
        "built 4 positions: 8 files written, 0 unchanged",
    ]
    again = run("build", POSITIONS[0])
    assert again.stdout.splitlines() == ["built 1 position: 0 files written, 2 unchanged"]


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
    assert sorted(p.name for p in target.iterdir()) == [
        ".ametijuhend-manifest",
        "teenusejuht-kov.docx",
    ]
    assert not (project / "out").exists()


def test_data_option_and_project_file(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other"
    elsewhere.mkdir()
    with working_folder(elsewhere):
        result = run("validate", "--data", str(project / "data"))
    assert result.exit_code == 0, result.stderr
    (project / "ametijuhend.yaml").write_text("out: dokumendid\n", encoding="utf-8")
    with working_folder(project / "data" / "positions"):  # found from a folder inside it
        built = run("build", "--format", "md")
    assert built.exit_code == 0, built.stderr
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
        "data/library/rights.yaml:13:1: warning: esindada: the right 'esindada' is nearly "
        "identical to 'osaleda-ja-esindada' (line 8); differing words: 'osaleda ja' / (none)",
        "    hint: use one wording for new and revised documents: 'osaleda-ja-esindada' or "
        "'esindada'; documents already signed keep theirs until they are revised",
        f"data/positions/ekspert-kriisiabi.yaml:3:1: {never}",
        hint,
        "data/positions/koordinaator-klat.yaml:13:9: warning: approval.date: the review was due "
        "2025-02-12 (last reviewed 2024-02-12); reviews are due every 12 months",
        hint,
        f"data/positions/koordinaator-ringist-valja.yaml:3:1: {never}",
        hint,
        f"data/positions/teenusejuht-kov.yaml:3:1: {never}",
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
    reference = readme.split("## Command reference", 1)[1]
    assert f"\n| `ametijuhend {command}" in reference, "a row in the command reference"
    help_text = run(command, "--help").stdout
    assert cli.commands[command].get_short_help_str(), "a one-line summary"
    examples = help_text.split("Example", 1)[1]
    assert f"  ametijuhend {command}" in examples, "an example that uses the command"


def test_global_options_are_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    help_text = run("--help").stdout
    for option in ("--quiet", "--verbose", "--version", "--help"):
        assert option in help_text
        assert f"`{option}`" in readme
    assert "Example" in help_text
    assert "_AMETIJUHEND_COMPLETE=bash_source ametijuhend" in readme
    assert "NO_COLOR" in readme


def test_every_project_file_key_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for key in ProjectFile.model_fields:
        assert f"\n{key}: " in readme, key


def test_choices_match_the_core() -> None:
    assert typing.get_args(EmploymentType) == EMPLOYMENT_CHOICES
    assert ALL_FORMATS == FORMAT_CHOICES
    formats = ProjectFile.model_fields["formats"].annotation  # list[Literal[...]] | None
    literal = typing.get_args(typing.get_args(formats)[0])[0]
    assert typing.get_args(literal) == FORMAT_CHOICES


def test_python_m_is_the_same_command() -> None:
    def python_m(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "ametijuhend_cli", *args],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    assert python_m("--version") == run("--version").stdout
    assert python_m("--help").startswith("Usage: ametijuhend [OPTIONS] COMMAND [ARGS]...\n")


def test_quiet_prints_only_problems(project: Path) -> None:
    result = run("-q", "build")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert (project / "out" / "teenusejuht-kov.docx").is_file()
    assert run("--quiet", "validate").stdout == ""
    (project / "data/positions/teenusejuht-kov.yaml").write_text("title: [\n", encoding="utf-8")
    failed = run("-q", "validate")
    assert failed.exit_code == 1
    assert failed.stdout == ""
    assert failed.stderr.endswith("1 problem in 1 file; nothing was written\n")


def test_verbose_says_where_the_project_is(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("formats: [md]\n", encoding="utf-8")
    result = run("-v", "build", "--check")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "project: .\n"
        "  data: data\n"
        "  out: out (not there)\n"
        "  templates: templates (not there)\n"
        "  schemas: schemas (not there)\n"
        "  formats: md\n"
    )


def test_quiet_and_verbose_exclude_each_other() -> None:
    result = run("-q", "-v", "validate")
    assert result.exit_code == 2
    assert "give --quiet or --verbose, not both" in result.stderr


def _broken(project: Path) -> str:
    """Misspell the title of a position; return where the problem is reported."""
    path = project / "data/positions/teenusejuht-kov.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    n = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[n] = lines[n].replace("title:", "titel:")
    path.write_text("".join(lines), encoding="utf-8")
    return f"data/positions/teenusejuht-kov.yaml:{n + 1}:1"


def test_colour_on_a_terminal(project: Path) -> None:
    where = _broken(project)
    result = CliRunner().invoke(cli, ["validate"], color=True)
    assert result.exit_code == 1
    first, hint = result.stderr.splitlines()[:2]
    assert first == click.style(f"{where}: titel: unknown field 'titel'", fg="red")
    assert hint == "    hint: did you mean 'title' or 'subtitle'?"
    assert result.stderr.splitlines()[-1] == click.style(
        "1 problem in 1 file; nothing was written", fg="red"
    )


@pytest.mark.parametrize(
    ("color", "env"), [(False, {}), (True, {"NO_COLOR": "1"})], ids=["not-a-terminal", "NO_COLOR"]
)
def test_no_colour(project: Path, color: bool, env: dict[str, str]) -> None:
    where = _broken(project)
    result = CliRunner().invoke(cli, ["validate"], color=color, env=env)
    assert result.exit_code == 1
    assert "\x1b[" not in result.stderr
    assert result.stderr.startswith(f"{where}: titel: unknown field 'titel'")


def test_an_empty_no_colour_keeps_colour(project: Path) -> None:
    _broken(project)
    result = CliRunner().invoke(cli, ["validate"], color=True, env={"NO_COLOR": ""})
    assert "\x1b[31m" in result.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ametijuhend build teen", ["teenusejuht-kov"]),
        ("ametijuhend build koordinaator-", ["koordinaator-klat", "koordinaator-ringist-valja"]),
        ("ametijuhend new x --from eks", ["ekspert-kriisiabi"]),
        ("ametijuhend new x --unit klat", ["klat-srt-tiim"]),
        ("ametijuhend sch", ["schema"]),
    ],
)
def test_shell_completion(project: Path, words: str, expected: list[str]) -> None:
    env = {
        "_AMETIJUHEND_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = CliRunner().invoke(cli, [], prog_name="ametijuhend", env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"plain,{value}" for value in expected]


def test_completion_outside_a_project_is_silent(tmp_path: Path) -> None:
    env = {
        "_AMETIJUHEND_COMPLETE": "bash_complete",
        "COMP_WORDS": "ametijuhend build t",
        "COMP_CWORD": "2",
    }
    with working_folder(tmp_path):
        result = CliRunner().invoke(cli, [], prog_name="ametijuhend", env=env)
    assert (result.exit_code, result.stdout.strip()) == (0, "")


def test_formats_from_the_project_file(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("formats: [md]\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0
    outputs = [p for p in (project / "out").iterdir() if not p.name.startswith(".")]
    assert sorted(p.suffix for p in outputs) == [".md"] * 4
    result = run("build", "teenusejuht-kov", "--format", "docx")
    assert result.stdout.splitlines() == [
        "wrote out/teenusejuht-kov.docx",
        "built 1 position: 1 file written, 0 unchanged",
    ]


def test_bad_formats_in_the_project_file(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("formats: [md, odt]\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "ametijuhend.yaml:1:15: formats[1]: expected 'md', 'docx' or 'pdf', got 'odt'\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_pdf_without_libreoffice(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ametijuhend_cli.render.pdf.find_soffice", lambda: None)
    result = run("build", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --format pdf needs LibreOffice, which is not installed; install it "
        "(Debian/Ubuntu: apt-get install libreoffice-writer-nogui) or use --format docx "
        "and convert in Word\n"
    )
    assert not (project / "out").exists()


def test_progress_bar_only_on_a_terminal_and_for_long_builds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    from ametijuhend_cli.cli.documents import _Progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    short = _Progress()
    short.update(0, 10)
    assert not short.active
    long = _Progress()
    long.update(0, 100)
    assert long.active
    long.update(100, 100)
    long.close()
    assert "100%" in screen.getvalue() and not long.active
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # CI: a pipe or a file
    piped = _Progress()
    piped.update(0, 1000)
    assert not piped.active


def test_quiet_and_verbose_after_the_command(project: Path) -> None:
    quiet = run("build", "-q")
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")
    assert (project / "out" / "teenusejuht-kov.docx").is_file()
    assert run("validate", "--quiet").stdout == ""
    loud = run("build", "--check", "-v")
    assert loud.stderr.startswith("project: .\n  data: data\n")
    for args in (("-v", "build", "-q"), ("build", "-q", "-v"), ("-q", "validate", "--verbose")):
        result = run(*args)
        assert result.exit_code == 2, args
        assert "give --quiet or --verbose, not both" in result.stderr
    assert run("-q", "build", "-q").exit_code == 0


def test_every_command_takes_quiet_and_verbose() -> None:
    for name, command in cli.commands.items():
        options = {opt for param in command.params for opt in getattr(param, "opts", [])}
        assert {"-q", "--quiet", "-v", "--verbose"} <= options, name


def test_warnings_in_yellow_on_a_terminal(project: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--today", "2030-01-01"], color=True)
    assert result.exit_code == 0
    warning = next(line for line in result.stderr.splitlines() if ": warning: " in line)
    assert warning.startswith("\x1b[33m") and warning.endswith("\x1b[0m")
    plain = CliRunner().invoke(cli, ["validate", "--today", "2030-01-01"])
    assert "\x1b[" not in plain.stderr
