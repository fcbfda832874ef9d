"""Git workflow: textconv in git diff, change summaries between revisions, impact."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import git, run


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_textconv_prints_tasks_and_lists(project: Path) -> None:
    assert run("build", "koordinaator-klat", "--format", "docx").exit_code == 0
    result = run("textconv", "out/koordinaator-klat.docx")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "KINNITATUD",
        "Sotsiaalkindlustusameti peadirektori 12.02.2024 käskkirjaga nr 23",
    ]
    i = lines.index(
        "3.10 Teenusega seotud arvelduste, aruandluse, tagasiside ja statistika haldamine."
    )
    assert lines[i + 1] == "    - Teenuse arveldus ja aruandlus on tagatud."
    assert "- teha kaugtööd kokkuleppel vahetu juhiga;" in lines


def test_textconv_of_a_file_that_is_no_docx(project: Path) -> None:
    (project / "x.docx").write_text("tere", encoding="utf-8")
    result = run("textconv", "x.docx")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: x.docx: not a readable Word document")


def test_git_diff_of_two_builds_shows_the_changed_sentence(repo: Path) -> None:
    (repo / ".gitattributes").write_text("*.docx diff=ametijuhend\n", encoding="utf-8")
    textconv = f"{sys.executable} -m ametijuhend_cli textconv"
    git(repo, "config", "diff.ametijuhend.textconv", textconv)
    assert run("build", "--format", "docx").exit_code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "documents")
    edit(
        repo / "data/positions/teenusejuht-kov.yaml",
        "Vähemalt 3-aastane töökogemus valdkonnas.",
        "Vähemalt 5-aastane töökogemus valdkonnas.",
    )
    assert run("build", "--format", "docx").exit_code == 0
    diff = git(repo, "diff", "--", "out/teenusejuht-kov.docx")
    changed = [
        line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changed == [
        "-    Vähemalt 3-aastane töökogemus valdkonnas.",
        "+    Vähemalt 5-aastane töökogemus valdkonnas.",
    ]


def test_diff_outside_git(project: Path) -> None:
    result = run("diff")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ")
    assert "is not in a git repository" in result.stderr


def test_impact(project: Path) -> None:
    result = run("impact", "toovahendid")
    assert result.exit_code == 0
    assert result.stdout == "teenusejuht-kov\tTeenusejuht\n"
    assert result.stderr == "rights/toovahendid: used by 1 position\n"
    both = run("impact", "responsibilities/maine")
    assert len(both.stdout.splitlines()) == 3
    unknown = run("impact", "kaugto")
    assert unknown.exit_code == 1
    assert (
        unknown.stderr
        == "error: unknown library entry 'kaugto' (did you mean kaugtoo, rights/kaugtoo?)\n"
    )
