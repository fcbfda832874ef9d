"""Git workflow: textconv in git diff, change summaries between revisions, impact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run


@pytest.fixture
def repo(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the sample project as a git repository with one commit."""
    for key, value in {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(project),
    }.items():
        monkeypatch.setenv(key, value)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "start")
    return project


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True)
    return done.stdout


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


def test_diff_between_head_and_the_working_tree(repo: Path) -> None:
    position = repo / "data/positions/teenusejuht-kov.yaml"
    edit(
        position,
        "  - task: Avalikkuse teavitamiseks informatiivsete materjalide kavandite koostamine.\n"
        "    results:\n      - Informatiivsete materjalide kavandid on välja töötatud.\n",
        "",
    )
    edit(
        position,
        "Oma pädevuse piires arvamuste andmine õigusaktide eelnõudele.",
        "Oma pädevuse piires arvamuste andmine seaduste ja määruste eelnõudele.",
    )
    edit(position, "  - infosusteemid\n", "  - infosusteemid\n  - kaugtoo\n")
    edit(position, "level: B2", "level: C1")
    edit(
        repo / "data/library/responsibilities.yaml",
        "riigi vara heaperemeheliku",
        "riigi vara säästliku ja heaperemeheliku",
    )
    result = run("diff", "teenusejuht-kov")
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout
        == """\
# Muudatused ametijuhendites

Võrreldud: HEAD → tööversioon

## Teenusejuht (teenusejuht-kov)

### 3. TEENISTUSKOHUSTUSED

- Eemaldatud ülesanne (oli 3.5): Avalikkuse teavitamiseks informatiivsete materjalide kavandite koostamine.
- Ülesanne 3.6 on ümber sõnastatud: Oma pädevuse piires arvamuste andmine seaduste ja määruste eelnõudele. (oli 3.7: Oma pädevuse piires arvamuste andmine õigusaktide eelnõudele.)

### 4. ÕIGUSED

- Lisatud: teha kaugtööd kokkuleppel vahetu juhiga

### 5. VASTUTUS

- Eemaldatud: tööülesannete täitmiseks antud riigi vara heaperemeheliku kasutamise eest
- Lisatud: tööülesannete täitmiseks antud riigi vara säästliku ja heaperemeheliku kasutamise eest

### 7. AMETIKOHALE ESITATAVAD NÕUDED

- Keeleoskus: Valdab eesti keelt vähemalt tasemel C1. Oskab vähemalt ühte võõrkeelt (soovitavalt inglise keelt) vähemalt tasemel C1. (oli: Valdab eesti keelt vähemalt tasemel C1. Oskab vähemalt ühte võõrkeelt (soovitavalt inglise keelt) vähemalt tasemel B2.)

### Ühistekstid

- Muudetud ühistekst responsibilities/riigi-vara: tööülesannete täitmiseks antud riigi vara säästliku ja heaperemeheliku kasutamise eest (oli: tööülesannete täitmiseks antud riigi vara heaperemeheliku kasutamise eest)
"""
    )


def test_diff_between_revisions_limited_to_positions_and_exit_code(repo: Path) -> None:
    edit(repo / "data/library/clauses.yaml", "kord aastas", "kord kahe aasta jooksul")
    git(repo, "commit", "-q", "-am", "review every two years")
    result = run("diff", "HEAD~1", "HEAD", "koordinaator-klat", "--exit-code")
    assert result.exit_code == 1
    assert "## Koordinaator (koordinaator-klat)" in result.stdout
    assert result.stdout.count("## ") == 3  # the position, its section, the library texts
    assert "## Teenusejuht" not in result.stdout
    assert (
        "- Muudetud ühistekst clauses/ulevaatamine: Ametijuhend vaadatakse üle kord kahe aasta"
        in result.stdout
    )
    same = run("diff", "HEAD", "HEAD", "--exit-code")
    assert same.exit_code == 0
    assert same.stdout.endswith("Ametijuhendites muudatusi ei ole.\n")


def test_diff_reports_added_and_removed_positions(repo: Path) -> None:
    (repo / "data/positions/koordinaator-klat.yaml").rename(
        repo / "data/positions/koordinaator.yaml"
    )
    result = run("diff")
    assert "## Koordinaator (koordinaator)\n\nUus ametijuhend." in result.stdout
    assert "## Koordinaator (koordinaator-klat)\n\nAmetijuhend on eemaldatud." in result.stdout


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
