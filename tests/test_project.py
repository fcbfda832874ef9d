"""Finding the project: from its folder, from a subfolder, not past a git repository's root."""

from __future__ import annotations

from pathlib import Path

import pytest

from ametijuhend_cli.errors import ProjectNotFoundError
from ametijuhend_cli.sources.paths import find_project
from conftest import run, working_folder


def test_a_subfolder_finds_the_project(project: Path) -> None:
    for sub in ("data/positions", "data/library", "data"):
        assert find_project(project / sub).root == project, sub
    deeper = project / "notes" / "2024"
    deeper.mkdir(parents=True)
    with working_folder(project / "data" / "positions"):
        result = run("validate", "--today", "2024-06-01")
    assert result.exit_code == 0, result.stderr
    with working_folder(deeper):
        built = run("build", "teenusejuht-kov", "--format", "md")
    assert built.exit_code == 0, built.stderr
    assert built.stdout.splitlines()[0] == f"wrote {project / 'out' / 'teenusejuht-kov.md'}"
    assert (project / "out" / "teenusejuht-kov.md").is_file()


def test_a_project_file_above_is_read(project: Path) -> None:
    (project / "data").rename(project / "lähteandmed")
    (project / "ametijuhend.yaml").write_text("data: lähteandmed\nout: dokumendid\n", "utf-8")
    paths = find_project(project / "lähteandmed" / "positions")
    assert (paths.root, paths.data, paths.out) == (
        project,
        project / "lähteandmed",
        project / "dokumendid",
    )


def test_a_data_folder_above_counts_only_with_an_organization(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "sub").mkdir()
    with pytest.raises(ProjectNotFoundError):
        find_project(tmp_path / "sub")
    # in the folder itself a data/ folder is enough (validate then names what is missing)
    assert find_project(tmp_path).root == tmp_path
    (tmp_path / "data" / "organization.yaml").write_text("agency: Amet\n", "utf-8")
    assert find_project(tmp_path / "sub").root == tmp_path


def test_the_search_stops_at_a_git_root(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "organization.yaml").write_text("agency: Amet\n", "utf-8")
    (tmp_path / "ametijuhend.yaml").write_text("{}\n", "utf-8")
    repo = tmp_path / "other-repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "docs").mkdir()
    for start in (repo, repo / "docs"):
        with pytest.raises(ProjectNotFoundError, match="no project here"):
            find_project(start)
    # a project at the git root itself is found from below
    (repo / "ametijuhend.yaml").write_text("data: .\n", "utf-8")
    assert find_project(repo / "docs").root == repo


def test_no_project_names_init(tmp_path: Path) -> None:
    with working_folder(tmp_path):
        result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "(nor a project in a folder above it); run the command in the project folder, "
        "give --data DIR, or start one with `ametijuhend init`\n"
    )
