"""Hostile folders (issue 27): every place the tool writes is inside the project, reached
without a link, and never a source folder (or it was given on the command line)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from ametijuhend_cli.digests import digest
from conftest import REPO, run

PID = "teenusejuht-kov"


def _setting(project: Path, text: str) -> None:
    (project / "ametijuhend.yaml").write_text(text, encoding="utf-8")


def _untouched(folder: Path) -> None:
    assert not folder.exists() or not any(folder.iterdir()), sorted(folder.iterdir())


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("out: ../escaped\n", "1:6: out: the folder '../escaped' is outside the project"),
        ("out: ESCAPED\n", "1:6: out: the folder '/"),
        ("out: out/../../escaped\n", "1:6: out: the folder 'out/../../escaped' is outside the"),
        ("out: .\n", "1:6: out: the folder '.' is the project folder itself"),
        ("out: templates\n", "1:6: out: the folder 'templates' holds the project's sources"),
        ("out: data\n", "1:6: out: the folder 'data' holds the project's sources"),
        ("out: data/positions/x\n", "1:6: out: the folder 'data/positions/x' holds the project"),
        ("schemas: ../escaped\n", "1:10: schemas: the folder '../escaped' is outside the project"),
        ("schemas: data/library\n", "1:10: schemas: the folder 'data/library' holds the"),
    ],
)
@pytest.mark.parametrize("command", [["build", "--format", "md"], ["schema"], ["validate"]])
def test_an_output_folder_of_the_project_file_outside_or_among_the_sources(
    project: Path, setting: str, message: str, command: list[str]
) -> None:
    escaped = project.parent / "escaped"
    _setting(project, setting.replace("ESCAPED", str(escaped)))
    result = run(*command)
    assert result.exit_code == 1
    assert result.stderr.startswith("ametijuhend.yaml:" + message), result.stderr
    _untouched(escaped)
    assert not (project / "out").exists()


def test_out_templates_cannot_replace_the_reference_document(project: Path) -> None:
    (project / "templates").mkdir()
    shutil.copy(REPO / "templates/reference.docx", project / "templates/reference.docx")
    (project / f"data/positions/{PID}.yaml").rename(project / "data/positions/reference.yaml")
    before = (project / "templates/reference.docx").read_bytes()
    _setting(project, "out: templates\n")
    assert run("build", "--format", "docx").exit_code == 1
    result = run("build", "--format", "docx", "--data", "data", "--out", "templates")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: refusing to write into templates: it holds the project's sources (templates)"
    )
    assert (project / "templates/reference.docx").read_bytes() == before


#: (folder made a link, the command that writes into it)
LINKED = [
    ("out", ["build", "--format", "md"]),
    ("out", ["build", "--check", "--format", "md"]),
    ("out/report", ["report", "--today", "2026-06-01"]),
    ("out", ["report", "--today", "2026-06-01"]),
    ("schemas", ["schema"]),
    ("data/positions", ["new", "nounik", "--unit", "kov-noustamistalitus"]),
]


@pytest.mark.parametrize(("rel", "args"), LINKED, ids=[f"{r}-{a[0]}" for r, a in LINKED])
@pytest.mark.parametrize("inside", [False, True], ids=["outside", "inside"])
def test_a_committed_link_is_never_followed_when_writing(
    project: Path, rel: str, args: list[str], inside: bool
) -> None:
    escaped = project.parent / "escaped"
    target = project / "data" / "elsewhere" if inside else escaped
    if rel == "data/positions":
        shutil.move(project / rel, target)  # the positions are read through the link
    else:
        target.mkdir(parents=True)
    link = project / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    before = sorted(p.name for p in target.iterdir())
    result = run(*args)
    assert result.exit_code == 1, result.output
    folder = "out/report" if args[0] == "report" else rel
    where = "it" if folder == rel else rel
    assert result.stderr.startswith(
        f"error: refusing to write into {folder}: {where} is a link; the tool writes only into "
        "real folders of the project (replace the link with a folder)"
    ), result.stderr
    assert sorted(p.name for p in target.iterdir()) == before


def test_an_output_file_that_is_a_link_is_replaced_not_followed(project: Path) -> None:
    victim = project.parent / "victim.md"
    victim.write_text("victim\n", encoding="utf-8")
    (project / "out").mkdir()
    (project / f"out/{PID}.md").symlink_to(victim)
    assert run("build", "--format", "md").exit_code == 0
    assert victim.read_text(encoding="utf-8") == "victim\n"
    assert not (project / f"out/{PID}.md").is_symlink()


def test_an_import_into_linked_positions_is_refused(project: Path, tmp_path: Path) -> None:
    assert run("build", PID, "--format", "docx").exit_code == 0
    document = tmp_path / "vana.docx"
    shutil.copy(project / f"out/{PID}.docx", document)
    escaped = tmp_path / "escaped"
    shutil.move(project / "data/positions", escaped)
    (project / "data/positions").symlink_to(escaped)
    before = sorted(p.name for p in escaped.iterdir())
    result = run("import", str(document))
    assert result.exit_code == 1
    assert "refusing to write into data/positions: it is a link" in result.stderr
    assert sorted(p.name for p in escaped.iterdir()) == before


def test_a_folder_given_on_the_command_line_may_be_outside(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    assert run("build", PID, "--format", "md", "--out", str(elsewhere)).exit_code == 0
    assert (elsewhere / f"{PID}.md").is_file()
    assert run("report", "--today", "2026-06-01", "--out", str(elsewhere / "r")).exit_code == 0
    assert run("schema", "--out", str(elsewhere / "s")).exit_code == 0


def test_the_default_folders_still_work(project: Path) -> None:
    _setting(project, "out: build/docs\nschemas: editor/schemas\n")
    assert run("build", PID, "--format", "md").exit_code == 0
    assert (project / f"build/docs/{PID}.md").is_file()
    assert run("schema").exit_code == 0
    assert (project / "editor/schemas/position.schema.json").is_file()


# --- a committed manifest vouches for nothing -------------------------------

MANIFEST = ".ametijuhend-manifest"


def _lines(project: Path) -> list[list[str]]:
    text = (project / "out" / MANIFEST).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines()]


def _save(project: Path, lines: list[list[str]]) -> None:
    text = "".join("\t".join(fields) + "\n" for fields in lines)
    (project / "out" / MANIFEST).write_text(text, encoding="utf-8")


def _checked_out(project: Path) -> None:
    """Give every output a new time, as a checkout of the output folder does."""
    for path in (project / "out").iterdir():
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10_000_000_000))


def _record(fields: list[str], fmt: str, path: Path) -> None:
    """Make the manifest entry ``fields`` vouch for ``path`` as its ``fmt`` output, perfectly."""
    st = path.stat()
    outputs = dict(item.split("=", 1) for item in fields[3].split(","))
    outputs[fmt] = f"{digest(path.read_bytes())}:{st.st_size}:{st.st_mtime_ns}"
    fields[3] = ",".join(f"{k}={v}" for k, v in sorted(outputs.items()))


def test_check_compares_with_what_is_there_whatever_the_manifest_says(project: Path) -> None:
    assert run("build", "--format", "md").exit_code == 0
    output = project / f"out/{PID}.md"
    output.write_text(output.read_text(encoding="utf-8") + "\nlisatud käsitsi\n", "utf-8")
    lines = _lines(project)
    # even an entry that names the edited file's digest, size and time is not believed
    _record(next(f for f in lines if f[0] == PID), "md", output)
    _save(project, lines)
    result = run("build", "--check", "--format", "md")
    assert result.exit_code == 1
    assert result.stdout == f"stale out/{PID}.md\n"


def test_check_does_not_take_a_link_to_a_right_file_for_the_output(
    project: Path, tmp_path: Path
) -> None:
    assert run("build", "--format", "md").exit_code == 0
    output = project / f"out/{PID}.md"
    elsewhere = tmp_path / "elsewhere.md"
    elsewhere.write_bytes(output.read_bytes())
    output.unlink()
    output.symlink_to(elsewhere)
    lines = _lines(project)
    _record(next(f for f in lines if f[0] == PID), "md", elsewhere)
    _save(project, lines)
    result = run("build", "--check", "--format", "md")
    assert result.exit_code == 1
    assert result.stdout == f"stale out/{PID}.md\n"


@pytest.mark.parametrize("check", [False, True], ids=["build", "check"])
def test_a_forged_digest_of_a_broken_library_spares_it_no_validation(
    project: Path, check: bool
) -> None:
    from ametijuhend_cli.building.incremental import sources_digest
    from ametijuhend_cli.sources.paths import find_project

    assert run("build", "--format", "md").exit_code == 0
    rights = project / "data/library/rights.yaml"
    rights.write_text(rights.read_text(encoding="utf-8") + "\nbroken: [\n", "utf-8")
    lines = _lines(project)
    lines[1][1] = str(sources_digest(find_project(project)))
    _save(project, lines)
    _checked_out(project)
    result = run("build", "--format", "md", *(["--check"] if check else []))
    assert result.exit_code == 1
    assert result.stderr.startswith("data/library/rights.yaml:")


def test_a_forged_entry_never_makes_the_tool_delete_a_file_it_did_not_write(
    project: Path,
) -> None:
    assert run("build", "--format", "md").exit_code == 0
    mine = project / "out/kasitsi.md"
    mine.write_text("käsitsi kirjutatud\n", encoding="utf-8")
    lines = _lines(project)
    forged = list(lines[2])
    forged[0] = "kasitsi"
    forged[3] = f"md={digest(mine.read_bytes())}:{mine.stat().st_size}:1"
    lines.insert(2, forged)
    _save(project, lines)
    result = run("build", "--format", "md")
    assert result.exit_code == 0
    assert mine.read_text(encoding="utf-8") == "käsitsi kirjutatud\n"
    assert "kept out/kasitsi.md" in result.stdout


def test_the_names_of_a_forged_manifest_are_not_printed(project: Path) -> None:
    from conftest import edit

    position = project / f"data/positions/{PID}.yaml"
    edit(position, "manager: ", "manager: {position: koordinaator-klat}\n_old_manager: ")
    edit(position, "\n_old_manager: ", "\n# ")
    assert run("build", "--format", "md").exit_code == 0, "the sample refers to a position"
    lines = _lines(project)
    named = next(f for f in lines if f[0] == "koordinaator-klat")
    named[5] = "Võltsitud ametinimetus"
    _save(project, lines)
    _checked_out(project)
    edit(position, "Teenusejuht", "Teenusejuhi")  # rendered again, naming its manager
    assert run("build", "--format", "md").exit_code == 0
    text = (project / f"out/{PID}.md").read_text(encoding="utf-8")
    assert "Võltsitud" not in text
    assert "Koordinaator" in text
