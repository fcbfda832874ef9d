"""Builds of one position: found by name, current without loading the schemas, still checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ametijuhend_cli.building.incremental import sources_digest
from ametijuhend_cli.building.manifest import MANIFEST_NAME, Manifest
from ametijuhend_cli.building.run import build
from ametijuhend_cli.building.select import select_positions
from ametijuhend_cli.sources.paths import find_project, plain_settings
from ametijuhend_cli.sources.projectfile import ProjectFile
from conftest import run

#: Prints which heavy modules a build of one current position imported.
_PROBE = """
import sys
from ametijuhend_cli.cli import cli
try:
    cli(["build", "teenusejuht-kov"], prog_name="ametijuhend")
except SystemExit as exc:
    assert not exc.code, exc.code
heavy = ("pydantic", "yaml", "jinja2", "docx", "lxml", "ssl", "email", "multiprocessing")
print(" ".join(sorted(m for m in heavy if m in sys.modules)) or "none")
"""


def _imported(project: Path) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_current_position_builds_without_schemas_or_yaml(project: Path) -> None:
    assert run("build").exit_code == 0
    assert _imported(project) == "none"


def test_changed_library_is_validated_again(project: Path) -> None:
    assert run("build").exit_code == 0
    rights = project / "data/library/rights.yaml"
    rights.write_text(rights.read_text(encoding="utf-8") + "tühi:\n", encoding="utf-8")
    # teenusejuht-kov does not use the broken entry, and it is current: the
    # library's problem is reported all the same
    result = run("build", "teenusejuht-kov")
    assert result.exit_code == 1
    assert "data/library/rights.yaml:15:" in result.stderr
    rights.write_text(rights.read_text(encoding="utf-8").replace("tühi:\n", ""), encoding="utf-8")
    assert run("build", "teenusejuht-kov").exit_code == 0
    assert _imported(project) == "none"


def test_manifest_keeps_the_digest_of_the_shared_sources(project: Path) -> None:
    assert run("build").exit_code == 0
    manifest = Manifest.load(project / "out")
    assert manifest.sources is not None and len(manifest.sources) == 32
    assert "rights/toovahendid" in manifest.library
    text = (project / "out" / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text.split("\n")[1].startswith("#shared\t" + manifest.sources + "\t{")


def test_damaged_shared_line_means_the_sources_are_validated(project: Path) -> None:
    assert run("build").exit_code == 0
    path = project / "out" / MANIFEST_NAME
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = "#shared\tnot json"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert Manifest.load(project / "out").sources is None
    result = build(find_project(project), ["teenusejuht-kov"])
    assert result.rendered == 0 and result.counts["unchanged"] == 2


def test_named_position_is_found_without_listing_the_folder(project: Path) -> None:
    paths = find_project(project)
    selection = select_positions(paths, ["teenusejuht-kov"])
    assert selection.wanted == {"teenusejuht-kov": paths.positions / "teenusejuht-kov.yaml"}
    assert selection._every is None and not selection.whole
    assert sorted(selection.every) == sorted(p.stem for p in paths.positions.glob("*.yaml"))


def test_named_position_in_two_files_is_a_problem(project: Path) -> None:
    positions = project / "data/positions"
    (positions / "teenusejuht-kov.yml").write_bytes(
        (positions / "teenusejuht-kov.yaml").read_bytes()
    )
    result = run("build", "teenusejuht-kov")
    assert result.exit_code == 1
    assert (
        "data/positions/teenusejuht-kov.yml: duplicate position id 'teenusejuht-kov' "
        "(also data/positions/teenusejuht-kov.yaml)"
    ) in result.stderr


def test_unknown_or_odd_ids_still_get_the_listing_and_a_hint(project: Path) -> None:
    result = run("build", "teenusejuht-ko")
    assert result.exit_code == 1
    assert "unknown position 'teenusejuht-ko' (did you mean teenusejuht-kov?)" in result.stderr
    result = run("build", "../data/positions/teenusejuht-kov")
    assert result.exit_code == 1
    assert "unknown position '../data/positions/teenusejuht-kov'" in result.stderr


def test_shared_sources_read_unsafely_are_always_validated(project: Path) -> None:
    paths = find_project(project)
    clean = sources_digest(paths)
    assert clean is not None
    rights = project / "data/library/rights.yaml"
    inside = project / "rights.yaml"
    rights.rename(inside)
    rights.symlink_to(inside)
    # a link inside the project is read as the loader reads it: its content counts
    assert sources_digest(paths) == clean
    outside = project.parent / "rights.yaml"
    inside.rename(outside)
    rights.unlink()
    rights.symlink_to(outside)
    assert sources_digest(paths) is None  # the loader refuses it: always validated
    rights.unlink()
    outside.rename(rights)
    assert sources_digest(paths) == clean
    os.mkfifo(project / "data/library/fifo.yaml")
    assert sources_digest(paths) is None  # and it did not block on the FIFO


@pytest.mark.parametrize(
    "raw",
    [
        None,
        {},
        {"out": "build", "formats": ["docx", "md"]},
        {"data": "data", "templates": "t", "schemas": "s", "review_period_months": 6},
        {"formats": ["pdf"], "review_period_months": 120},
    ],
)
def test_plain_project_file_reads_as_the_schema_does(raw: object) -> None:
    settings = plain_settings(raw)
    assert settings == ProjectFile.model_validate(raw or {}).model_dump()


@pytest.mark.parametrize(
    "raw",
    [
        [],
        {"output": "x"},
        {"data": 1},
        {"formats": []},
        {"formats": ["odt"]},
        {"formats": "md"},
        {"review_period_months": 0},
        {"review_period_months": True},
        {"review_period_months": "12"},
        {1: "x"},
    ],
)
def test_other_project_files_go_to_the_schema(raw: object) -> None:
    assert plain_settings(raw) is None


def test_current_position_with_a_project_file_builds_without_schemas(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("out: valjund\nformats: [md]\n", encoding="utf-8")
    assert run("build").exit_code == 0
    assert (project / "valjund" / "teenusejuht-kov.md").is_file()
    imported = _imported(project)
    assert "pydantic" not in imported.split() and "jinja2" not in imported.split()
