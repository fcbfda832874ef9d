"""ametijuhend diff: which revisions and ids, never a false "no changes", notices and CI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ametijuhend_cli.gitflow.revisions import GitError, check_revision, export, resolve
from ametijuhend_cli.gitflow.versions import DiffRequest, plan
from conftest import edit, git, run, working_folder

POSITION = "data/positions/teenusejuht-kov.yaml"
NO_CHANGES = "Ametijuhendites muudatusi ei ole.\n"


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@pytest.fixture
def history(repo: Path) -> Path:
    """Return the sample repository with a second commit that changes teenusejuht-kov."""
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    commit(repo, "experience")
    return repo


def test_a_misspelt_position_id_is_an_error(history: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "teenusejuht", "--exit-code")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: 'teenusejuht' is neither a revision nor a position id "
        "(did you mean teenusejuht-kov?)\n"
        "    hint: position ids are the file names in data/positions/\n"
    )


def test_a_tag_that_does_not_exist_is_an_error(history: Path) -> None:
    git(history, "tag", "v2025", "HEAD~1")
    result = run("diff", "v2024", "HEAD")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: 'v2024' is neither a revision nor a position id (did you mean v2025?)\n"
    )
    # the tag that exists works
    assert run("diff", "v2025", "HEAD", "--exit-code").exit_code == 1


def test_after_the_separator_only_ids(history: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "--", "teenusejuht")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown position id 'teenusejuht' (did you mean teenusejuht-kov?)\n"
        "    hint: position ids are the file names in data/positions/\n"
    )
    good = run("diff", "HEAD~1", "HEAD", "--", "teenusejuht-kov")
    assert good.exit_code == 0, good.stderr
    assert "Vähemalt <del>3</del><ins>5</ins>-aastane" in good.stdout
    other = run("diff", "HEAD~1", "HEAD", "--", "koordinaator-klat")
    assert other.stdout == NO_CHANGES


def test_before_the_separator_only_revisions(history: Path) -> None:
    unknown = run("diff", "mian", "--", "teenusejuht-kov")
    assert unknown.exit_code == 1
    assert unknown.stderr == "error: unknown revision 'mian'\n    hint: did you mean main?\n"
    three = run("diff", "HEAD~1", "HEAD", "main", "--")
    assert three.exit_code == 1
    assert three.stderr.startswith("error: at most two revisions come before '--', got 3\n")


def test_options_after_the_separator_are_ids(history: Path) -> None:
    result = run("diff", "HEAD~1", "HEAD", "--", "teenusejuht-kov", "--output=x.md")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: unknown position id '--output=x.md'\n"
        "    hint: options go before '--'; after it every argument is a position id\n"
    )
    assert not (history / "x.md").exists()


def test_a_revision_that_looks_like_an_option_never_reaches_git(
    history: Path, tmp_path: Path
) -> None:
    target = tmp_path / "x"
    assert resolve(history, f"--output={target}") is None
    with pytest.raises(GitError, match="is not a revision: it starts with '-'"):
        check_revision(history, f"--output={target}")
    with pytest.raises(GitError, match="it starts with '-'"):
        plan(history, DiffRequest([f"--output={target}"], separated=True))
    with pytest.raises(GitError, match="is not a commit id"):
        export(history, f"--output={target}", "", tmp_path / "out")
    assert not target.exists()


def test_a_shallow_clone_says_so(history: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", history.as_uri(), str(clone))
    with working_folder(clone):
        loose = run("diff", "HEAD~1", "HEAD", "--exit-code")
        assert loose.exit_code == 1
        assert loose.stdout == ""
        assert loose.stderr == (
            "error: 'HEAD~1' is neither a revision nor a position id\n"
            "    hint: this is a shallow clone, so a revision may be missing: fetch the whole "
            "history with 'git fetch --unshallow' (in GitHub Actions: actions/checkout with "
            "'fetch-depth: 0'; in GitLab CI: GIT_DEPTH: 0)\n"
        )
        separated = run("diff", "HEAD~1", "HEAD", "--", "teenusejuht-kov")
        assert separated.exit_code == 1
        assert separated.stderr.startswith(
            "error: revision 'HEAD~1' is not in this shallow clone (its history is cut off)\n"
            "    hint: fetch the whole history with 'git fetch --unshallow'"
        )
        # what the clone has is compared as usual
        assert run("diff", "HEAD", "--exit-code").stdout == NO_CHANGES


def test_a_repository_without_commits(project: Path) -> None:
    git(project, "init", "-q", "-b", "main")
    result = run("diff")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: the git repository ")
    assert "has no commits yet: there is no version to compare with\n" in result.stderr
    assert result.stderr.endswith("    hint: commit the sources first (git add, git commit)\n")


def test_outside_git(project: Path) -> None:
    result = run("diff", "HEAD")
    assert result.exit_code == 1
    assert "is not in a git repository\n    hint: " in result.stderr


def test_export_ignore_cannot_hide_a_library_file(repo: Path) -> None:
    (repo / ".gitattributes").write_text("data/library/** export-ignore\n", encoding="utf-8")
    commit(repo, "attributes")
    edit(repo / "data/library/rights.yaml", "kokkuleppel vahetu juhiga", "vahetu juhi loal")
    commit(repo, "right")
    result = run("diff", "HEAD~1", "HEAD", "--for", "hr", "--exit-code")
    assert result.exit_code == 1, result.stderr
    assert "- rights/kaugtoo: " in result.stdout


def test_only_regular_files_are_read_from_history(repo: Path) -> None:
    outside = repo.parent / "secret.yaml"
    outside.write_text("x: 1\n", encoding="utf-8")
    (repo / "data/library/rights.yaml").unlink()
    (repo / "data/library/rights.yaml").symlink_to(outside)
    commit(repo, "a symlink")
    folder = repo.parent / "exported"
    sha = git(repo, "rev-parse", "HEAD").strip()
    export(repo, sha, "", folder)
    assert (folder / "data/library/clauses.yaml").is_file()
    assert not (folder / "data/library/rights.yaml").exists()


def test_a_huge_source_file_in_history_is_refused(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ametijuhend_cli.gitflow.revisions as revisions

    (repo / "notes.txt").write_text("x" * 200_000, encoding="utf-8")
    commit(repo, "notes")
    monkeypatch.setattr(revisions, "MAX_FILE", 100 * 1024)
    sha = git(repo, "rev-parse", "HEAD").strip()
    folder = export(repo, sha, "", repo.parent / "small")
    assert not (folder / "notes.txt").exists()  # not a source file: left out
    (repo / "data/library/big.yaml").write_text("# " + "x" * 200_000 + "\n", encoding="utf-8")
    commit(repo, "a big file")
    result = run("diff", "HEAD")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: data/library/big.yaml at ")
    assert result.stderr.endswith(
        " is larger than 100 KB: not a source file of a job description\n"
    )


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path, repo: Path) -> None:
    top = tmp_path / "top"
    top.mkdir()
    shutil.move(str(repo / ".git"), str(top / ".git"))
    shutil.move(str(repo), str(top / "juhendid"))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "moved")
    with working_folder(top / "juhendid"):
        edit(top / "juhendid" / POSITION, "level: B2", "level: C1")
        result = run("diff", "HEAD", "--", "teenusejuht-kov")
    assert result.exit_code == 0, result.stderr
    assert "tasemel C1" in result.stdout


def test_the_notice(repo: Path, update_golden: bool) -> None:
    position = repo / POSITION
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
    edit(
        position,
        "tasks:\n",
        "tasks:\n  - task: Koolituste korraldamine.\n"
        "    results: [Koolitused on korraldatud., Tagasiside on kogutud.]\n",
    )
    edit(position, "  - infosusteemid\n", "  - infosusteemid\n  - kaugtoo\n")
    edit(
        repo / "data/library/responsibilities.yaml",
        "riigi vara heaperemeheliku",
        "riigi vara säästliku ja heaperemeheliku",
    )
    result = run("diff", "teenusejuht-kov", "--date", "2025-03-01")
    assert result.exit_code == 0, result.stderr
    golden = Path(__file__).parent / "golden/notice-teenusejuht-kov.md"
    if update_golden:
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
    for leak in ("HEAD", "teenusejuht-kov", "responsibilities", "riigi-vara", "git"):
        assert leak not in result.stdout


def test_a_change_of_wording_only(repo: Path) -> None:
    edit(repo / "data/library/clauses.yaml", "kord aastas", "kord kahe aasta jooksul")
    commit(repo, "review every two years")
    result = run("diff", "HEAD~1", "HEAD", "teenusejuht-kov")
    assert result.exit_code == 0, result.stderr
    assert (
        "## 8. AMETIJUHENDI MUUTMINE\n\n- Sõnastus muudetud: Ametijuhend vaadatakse üle kord "
        "<del>aastas</del><ins>kahe aasta jooksul</ins> vahetu juhiga või töökorralduse "
        "muutumisel.\n"
    ) in result.stdout
    # no consent paragraph, no reply date where the change needs no consent
    assert "nõusolek" not in result.stdout and "hiljemalt" not in result.stdout
    # dated by the new revision's commit, without --date
    day = git(repo, "show", "-s", "--format=%cd", "--date=format:%d.%m.%Y", "HEAD").strip()
    assert f"<!-- align: right -->\n{day}\n" in result.stdout


def test_a_position_signed_by_the_approver_alone(repo: Path) -> None:
    position = repo / "data/positions/koordinaator-klat.yaml"
    assert "approver:" in position.read_text(encoding="utf-8")
    edit(repo / "data/library/clauses.yaml", "kord aastas", "kord kahe aasta jooksul")
    commit(repo, "wording")
    result = run("diff", "HEAD~1", "HEAD", "koordinaator-klat")
    assert result.exit_code == 0, result.stderr
    assert "Lugupeetud koordinaator\n" in result.stdout
    assert "Ametikoha „Koordinaator“ teenistujale\\\n" in result.stdout
    assert "Lugupeetud ametnik" not in result.stdout


def test_hr_view_lists_library_entries_and_positions(repo: Path) -> None:
    edit(repo / "data/library/clauses.yaml", "kord aastas", "kord kahe aasta jooksul")
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    commit(repo, "two changes")
    result = run("diff", "HEAD~1", "HEAD", "--for", "hr")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.startswith("# Muudatused ametijuhendites\n\nVõrreldud: HEAD\\~1 → HEAD\n")
    assert "| Teenusejuht (teenusejuht-kov) | muudetud | võib vajada |" in out
    assert "| Koordinaator (koordinaator-klat) | muudetud | – |" in out
    assert (
        "- clauses/ulevaatamine: ekspert-kriisiabi, koordinaator-klat, "
        "koordinaator-ringist-valja, teenusejuht-kov\n"
    ) in out
    assert "- muutunud on nõuded: Töökogemus." in out


def test_exit_code_and_fail_on_consent(repo: Path) -> None:
    edit(repo / "data/library/clauses.yaml", "kord aastas", "kord kahe aasta jooksul")
    commit(repo, "wording")
    plain = run("diff", "HEAD~1", "HEAD", "--exit-code")
    assert plain.exit_code == 1
    assert plain.stderr == "4 positions changed, 0 may need the employee's consent\n"
    (repo / "ametijuhend.yaml").write_text("diff:\n  fail_on: consent\n", encoding="utf-8")
    consent = run("diff", "HEAD~1", "HEAD", "--exit-code")
    assert consent.exit_code == 0, consent.stderr
    edit(
        repo / POSITION,
        "  - task: Arendusprojektide",
        "  - task: Uus ülesanne.\n    results: [Tehtud.]\n  - task: Arendusprojektide",
    )
    grown = run("diff", "HEAD~1", "--exit-code")
    assert grown.exit_code == 1
    assert grown.stderr == "4 positions changed, 1 may need the employee's consent\n"
    same = run("diff", "HEAD", "HEAD", "--exit-code")
    assert (same.exit_code, same.stdout) == (0, NO_CHANGES)


def test_fail_on_is_validated(repo: Path) -> None:
    (repo / "ametijuhend.yaml").write_text("diff:\n  fail_on: always\n", encoding="utf-8")
    result = run("diff")
    assert result.exit_code == 1
    assert result.stderr == (
        "ametijuhend.yaml:2:12: diff.fail_on: expected 'change' or 'consent', got 'always'\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_summary_file_gets_the_hr_view(repo: Path) -> None:
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    summary = repo / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run("diff", "--summary", "summary.md", "-o", "teade.md", "--date", "2025-03-01")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "wrote teade.md\n"
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n# Muudatused ametijuhendites\n")
    assert (repo / "teade.md").read_text(encoding="utf-8").startswith("**Sotsiaalkindlustusamet**")


@pytest.mark.parametrize(
    ("given", "stderr"),
    [
        ("", "note: --summary is empty (no $GITHUB_STEP_SUMMARY here?): no summary\n"),
        # the reason is the system's ("Is a directory"; on Windows "Permission denied")
        (".", "error: cannot write .: "),
    ],
)
def test_a_summary_that_is_no_file(repo: Path, given: str, stderr: str) -> None:
    # outside GitHub Actions "$GITHUB_STEP_SUMMARY" is empty
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    result = run("diff", "--summary", given, "-o", "teade.md", "--date", "2025-03-01")
    assert result.exit_code == (0 if not given else 1)
    assert result.stderr == stderr if not given else result.stderr.startswith(stderr), result.stderr


def test_added_and_removed_positions(repo: Path) -> None:
    (repo / "data/positions/koordinaator-klat.yaml").rename(
        repo / "data/positions/koordinaator.yaml"
    )
    result = run("diff", "--for", "hr")
    assert "## Koordinaator (koordinaator)\n\nUus ametijuhend." in result.stdout
    assert "## Koordinaator (koordinaator-klat)\n\nAmetijuhend on eemaldatud." in result.stdout
    notice = run("diff", "koordinaator")
    assert "Teie ametikoha kohta on koostatud uus ametijuhend." in notice.stdout


def test_docx_needs_one_changed_position_and_a_date(repo: Path) -> None:
    edit(repo / POSITION, "Vähemalt 3-aastane töökogemus", "Vähemalt 5-aastane töökogemus")
    usage = run("diff", "--format", "docx")
    assert usage.exit_code == 2
    several = run("diff", "--format", "docx", "-o", "m.docx", "koordinaator-klat")
    assert several.exit_code == 1
    assert several.stderr.startswith(
        "error: --format docx writes the document of one changed position; changed: none\n"
    )
    undated = run("diff", "teenusejuht-kov", "--format", "docx", "-o", "m.docx")
    assert undated.exit_code == 1
    assert undated.stderr.startswith("error: the new version of teenusejuht-kov has no date\n")
    assert not (repo / "m.docx").exists()
    done = run(
        "diff", "teenusejuht-kov", "--format", "docx", "-o", "m.docx", "--date", "2025-03-01"
    )
    assert done.exit_code == 0, done.stderr
    assert (repo / "m.docx").stat().st_size > 5000


def test_results_and_parts_of_a_task_are_apart(repo: Path) -> None:
    position = repo / POSITION
    edit(
        position,
        "      - Kõik arendusprojektid on planeeritud.\n",
        "      - Kõik arendusprojektid on õigeaegselt planeeritud.\n"
        "      - Projektide aruanded on esitatud.\n",
    )
    edit(
        position,
        "      - Vajalikud arendusprojektid on realiseeritud vastavalt tekkinud vajadustele.\n",
        "      - Vajalikud arendusprojektid on realiseeritud vastavalt tekkinud vajadustele.\n"
        "    subtasks: [projektide kavandamine, projektide aruandlus]\n",
    )
    commit(repo, "parts")
    result = run("diff", "HEAD~1", "HEAD", "teenusejuht-kov", "--date", "2025-03-01")
    assert result.exit_code == 0, result.stderr
    assert (
        "- **3.2** Arendusprojektide koordineerimine ja nendes osalemine.\n"
        "  - Ülesande osad:\n"
        "    - Lisatud: projektide kavandamine\n"
        "    - Lisatud: projektide aruandlus\n"
        "  - Oodatavad tulemused:\n"
        "    - Sõnastus muudetud: Kõik arendusprojektid on <ins>õigeaegselt </ins>planeeritud.\n"
        "    - Lisatud: Projektide aruanded on esitatud.\n"
    ) in result.stdout
    # only the parts count toward the volume of duties, and apart from the tasks
    assert (
        "- ülesannete maht võib olla oluliselt suurenenud: põhiülesandeid oli 14, nüüd 14, "
        "ülesannete osi oli 0, nüüd 2."
    ) in result.stdout
    assert "Palun teatage oma nõusolekust või mittenõusolekust hiljemalt **15.03.2025**." in (
        result.stdout
    )
