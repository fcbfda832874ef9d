"""ametijuhend init: a complete project that builds at once, never over existing files."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from ametijuhend_cli import __version__
from ametijuhend_cli.authoring.init import CI_FILES, LIBRARY_KINDS, ci_text, starter_text
from ametijuhend_cli.authoring.schema import schema_files
from ametijuhend_cli.cli._common import CI_CHOICES
from conftest import REPO, edit, run, working_folder

AGENCY = "Sotsiaalkindlustusamet"


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "uus"
    folder.mkdir()
    return folder


def _init(folder: Path, *args: str) -> tuple[int, str, str]:
    with working_folder(folder):
        result = run("init", "--agency", AGENCY, *args)
    return result.exit_code, result.stdout, result.stderr


def test_init_writes_a_project_that_builds_at_once(empty: Path) -> None:
    code, out, err = _init(empty)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    expected = [
        "ametijuhend.yaml",
        "data/organization.yaml",
        ".gitattributes",
        ".gitignore",
        ".pre-commit-config.yaml",
        *(f"data/library/{kind}.yaml" for kind in LIBRARY_KINDS),
        "data/positions/analuutik.yaml",
        ".github/workflows/ametijuhendid.yml",
        *(f"schemas/{s.name}" for s in schema_files()),
    ]
    assert lines[: len(expected)] == [f"wrote {name}" for name in expected]
    assert lines[len(expected) :] == [
        f"started the project of {AGENCY}: {len(expected)} files",
        "next: ametijuhend build, then open the documents in out/",
        'for readable DOCX diffs: git config diff.ametijuhend.textconv "ametijuhend textconv"',
    ]
    with working_folder(empty):
        checked = run("validate", "--strict")
        built = run("build")
    assert (checked.exit_code, checked.stdout) == (0, "ok: 1 position, no problems\n")
    assert built.exit_code == 0, built.stderr
    assert built.stdout.splitlines() == [
        "wrote out/analuutik.md",
        "wrote out/analuutik.docx",
        "built 1 position: 2 files written, 0 unchanged",
    ]
    markdown = (empty / "out" / "analuutik.md").read_text(encoding="utf-8")
    assert "| Analüütik | Arendusosakond, analüüsitalitus |" in markdown
    assert "- kasutada kõiki ameti esindusi töö tegemiseks;" in markdown
    with zipfile.ZipFile(empty / "out" / "analuutik.docx") as docx:
        assert docx.testzip() is None
        assert "Analüütik" in docx.read("word/document.xml").decode("utf-8")


def test_every_file_is_commented_and_the_git_files_are_right(empty: Path) -> None:
    assert _init(empty)[0] == 0
    for path in [*empty.glob("data/**/*.yaml"), empty / "ametijuhend.yaml"]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), path
    attributes = (empty / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert {"*.docx diff=ametijuhend", "/out/*.md text eol=lf"} <= set(attributes)
    ignore = (empty / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {"/out/*", "!/out/*.md"} <= set(ignore)
    hooks = yaml.safe_load((empty / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [repo] = hooks["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert [h["id"] for h in repo["hooks"]] == ["ametijuhend-validate", "ametijuhend-build-md"]
    project = yaml.safe_load((empty / "ametijuhend.yaml").read_text(encoding="utf-8"))
    assert project["formats"] == ["md", "docx"]
    # the CI fails a pull request only on a change that may need consent, not on every change
    assert project["diff"] == {"fail_on": "consent"}
    for written in schema_files():
        assert (empty / "schemas" / written.name).read_text(encoding="utf-8") == written.text()


@pytest.mark.parametrize("ci", CI_CHOICES)
def test_the_ci_file(empty: Path, ci: str) -> None:
    assert _init(empty, "--ci", ci)[0] == 0
    for other, (_, target) in CI_FILES.items():
        written = empty / target
        assert written.is_file() == (other == ci), target
    if ci != "none":
        text = (empty / CI_FILES[ci][1]).read_text(encoding="utf-8")
        assert f"pip install ametijuhend=={__version__}" in text
        assert text == (REPO / "docs" / "ci" / Path(CI_FILES[ci][0]).name).read_text("utf-8")


def test_docs_ci_are_the_starter_files() -> None:
    for ci, (name, _) in CI_FILES.items():
        shown = REPO / "docs" / "ci" / Path(name).name
        assert shown.read_text(encoding="utf-8") == ci_text(ci), f"run `make docs` ({shown})"


def test_the_agency_is_written_as_given(empty: Path) -> None:
    with working_folder(empty):
        result = run("init", "--agency", '  Maa- ja  Ruumiamet: "#1" ', "--ci", "none")
        assert result.exit_code == 0, result.stderr
        assert run("validate").exit_code == 0
    organization = yaml.safe_load((empty / "data/organization.yaml").read_text("utf-8"))
    assert organization["agency"] == 'Maa- ja Ruumiamet: "#1"'
    with working_folder(empty):
        blank = run("init", "--agency", " ", "--force")
    assert (blank.exit_code, blank.stderr) == (
        1,
        "error: the agency's name is empty; give it with --agency NAME\n",
    )


def test_the_starter_library_is_the_sample_texts() -> None:
    for kind in LIBRARY_KINDS:
        starter = yaml.safe_load(starter_text(f"library/{kind}.yaml"))
        sample = yaml.safe_load((REPO / "data" / "library" / f"{kind}.yaml").read_text("utf-8"))
        assert starter, kind
        for uid, value in starter.items():
            assert sample[uid] == value, (kind, uid)
    competencies = yaml.safe_load(starter_text("library/competencies.yaml"))
    core = ["kliendikesksus", "asjatundlikkus", "koostoovoime", "efektiivsus"]
    assert list(competencies)[:4] == core


def test_a_folder_that_is_not_empty_is_refused(empty: Path) -> None:
    (empty / "notes.txt").write_text("x", encoding="utf-8")
    code, out, err = _init(empty)
    assert (code, out) == (1, "")
    assert err == (
        "error: the current folder is not empty (notes.txt); init starts a project in an "
        "empty folder\n    with --force it writes the project beside them and replaces nothing\n"
    )
    assert sorted(p.name for p in empty.iterdir()) == ["notes.txt"]
    code, out, _ = _init(empty, "--force")
    assert code == 0
    assert not [line for line in out.splitlines() if line.startswith("replaced")]


def test_force_names_what_it_replaces(empty: Path) -> None:
    assert _init(empty)[0] == 0
    edit(empty / "data/positions/analuutik.yaml", "title: Analüütik", "title: Nõunik")
    (empty / ".gitignore").write_text("mine\n", encoding="utf-8")
    code, out, err = _init(empty)
    assert (code, out) == (1, "")
    assert err.startswith("error: the current folder is not empty (.gitattributes, .github/, ")
    assert err.endswith(
        "\n    with --force it would replace: .gitignore, data/positions/analuutik.yaml\n"
    )
    code, out, _ = _init(empty, "--force")
    assert code == 0
    assert out.splitlines()[:2] == ["replaced .gitignore", "replaced data/positions/analuutik.yaml"]
    assert not [line for line in out.splitlines() if line.startswith("wrote")]


def test_a_git_repository_counts_as_empty(empty: Path) -> None:
    (empty / ".git").mkdir()
    assert _init(empty)[0] == 0


def test_dir_option_and_usage_errors(tmp_path: Path) -> None:
    with working_folder(tmp_path):
        result = run("init", "--agency", AGENCY, "--dir", "uus/projekt", "--ci", "gitlab")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[-2] == (
            "next: cd uus/projekt; ametijuhend build, then open the documents in out/"
        )
        assert (tmp_path / "uus/projekt/.gitlab-ci.yml").is_file()
        (tmp_path / "vana.docx").write_bytes(b"")
        for args, message in (
            (["vana.docx"], "give --from-docx to import FILES into the new project"),
            (["--from-docx"], "--from-docx needs the documents to import (FILE ...)"),
            (["--suggest-library"], "--suggest-library works with --from-docx FILE ..."),
        ):
            failed = run("init", "--agency", AGENCY, "--dir", "teine", *args)
            assert failed.exit_code == 2, args
            assert message in failed.stderr
        assert not (tmp_path / "teine").exists()
        assert run("init").exit_code == 2  # --agency is required


def _old_documents(tmp_path: Path, target: Path) -> list[Path]:
    """Build DOCX files of the sample positions; two of them share a right of their own."""
    sample = tmp_path / "sample"
    shutil.copytree(REPO / "data", sample / "data")
    shared = "  - text: osaleda kord aastas välisvisiidil\n"
    for pid in ("teenusejuht-kov", "koordinaator-klat"):
        edit(sample / f"data/positions/{pid}.yaml", "rights:\n", "rights:\n" + shared)
    edit(
        sample / "data/positions/ekspert-kriisiabi.yaml",
        "rights:\n",
        "rights:\n  - text: kasutada ameti autot\n",
    )
    with working_folder(sample):
        assert run("build", "--format", "docx").exit_code == 0
    target.mkdir(parents=True)
    documents = []
    for docx in sorted((sample / "out").glob("*.docx")):
        documents.append(Path(shutil.copy(docx, target / docx.name)))
    return documents


def test_from_docx_with_suggest_library(tmp_path: Path, empty: Path) -> None:
    documents = _old_documents(tmp_path, empty / "vanad")
    names = [str(d.relative_to(empty)) for d in documents]
    code, out, err = _init(empty, "--from-docx", *names, "--suggest-library", "--ci", "none")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "updated data/organization.yaml" in lines
    assert "updated data/library/rights.yaml" in lines
    assert "  rights: 1 text shared by several documents" in lines
    assert len([line for line in lines if line.startswith("imported vanad/")]) == 4
    assert not (empty / "data/positions/analuutik.yaml").exists()
    rights = yaml.safe_load((empty / "data/library/rights.yaml").read_text("utf-8"))
    [(new_id, text)] = [(k, v) for k, v in rights.items() if "välisvisiidil" in v]
    assert text == "osaleda kord aastas välisvisiidil"
    assert not any("autot" in v for v in rights.values())  # one document only: stays inline
    positions = {
        p.stem: yaml.safe_load(p.read_text("utf-8"))
        for p in (empty / "data/positions").glob("*.yaml")
    }
    assert len(positions) == 4
    using = sorted(pid for pid, data in positions.items() if new_id in data["rights"])
    assert len(using) == 2, using
    organization = yaml.safe_load((empty / "data/organization.yaml").read_text("utf-8"))
    assert "arendusosakond" not in organization["units"]  # the example unit made way
    assert "Ohvriabi ja ennetusteenuste osakond" in [
        u["name"] for u in organization["units"].values()
    ]
    with working_folder(empty):
        checked = run("validate")
        built = run("build", "--format", "md")
    assert checked.exit_code == 0, checked.stderr
    assert built.exit_code == 0, built.stderr
    assert built.stdout.endswith("built 4 positions: 4 files written, 0 unchanged\n")


def test_from_docx_without_suggestions_keeps_the_texts_inline(tmp_path: Path, empty: Path) -> None:
    documents = _old_documents(tmp_path, tmp_path / "vanad")
    code, out, err = _init(empty, "--from-docx", *map(str, documents), "--ci", "none")
    assert (code, err) == (0, "")
    assert "updated data/library/rights.yaml" not in out.splitlines()
    rights = yaml.safe_load((empty / "data/library/rights.yaml").read_text("utf-8"))
    assert not any("välisvisiidil" in v for v in rights.values())
    with working_folder(empty):
        assert run("build", "--format", "md").exit_code == 0


def test_no_document_can_be_imported_no_project_is_made(empty: Path, tmp_path: Path) -> None:
    (empty / "vanad").mkdir()
    (empty / "vanad" / "tühi.txt").write_text("midagi muud\n", encoding="utf-8")
    code, out, err = _init(empty, "--from-docx", "vanad/tühi.txt", "--ci", "none")
    assert (code, out) == (1, "")
    assert err.startswith("vanad/tühi.txt: ")
    assert err.endswith("the document could not be imported; no project was made\n")
    assert sorted(p.name for p in empty.iterdir()) == ["vanad"]
    # a folder that did not exist is not made either
    code, _, _ = _init(empty, "--from-docx", "vanad/tühi.txt", "--dir", str(tmp_path / "uus2"))
    assert code == 1
    assert not (tmp_path / "uus2").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uus"]


def test_the_project_holds_every_document_that_can_be_imported(tmp_path: Path, empty: Path) -> None:
    documents = _old_documents(tmp_path, tmp_path / "vanad")
    broken = tmp_path / "vanad" / "katki.txt"
    broken.write_text("midagi muud\n", encoding="utf-8")
    target = tmp_path / "uus-projekt"
    with working_folder(tmp_path):
        result = run(
            "init", "--agency", AGENCY, "--dir", "uus-projekt", "--ci", "none",
            "--from-docx", *(str(d.relative_to(tmp_path)) for d in [*documents, broken]),
        )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert len([line for line in result.stdout.splitlines() if line.startswith("imported")]) == 4
    assert "wrote uus-projekt/ametijuhend.yaml" in result.stdout.splitlines()
    assert result.stderr.splitlines()[-1] == (
        "1 of 5 documents could not be imported (the problems above say why): vanad/katki.txt; "
        "the project holds the others; import the rest with ametijuhend import FILE"
    )
    assert len(list((target / "data/positions").glob("*.yaml"))) == 4
    assert not [p for p in tmp_path.rglob(".ametijuhend-init-*")]
    with working_folder(target):
        assert run("validate").exit_code == 0


def test_ci_choices_match_the_core() -> None:
    from ametijuhend_cli.authoring import init

    assert init.CI_CHOICES == CI_CHOICES


def test_a_link_in_the_way_stops_init_before_it_writes(empty: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n", encoding="utf-8")
    (empty / ".gitignore").symlink_to(outside)
    code, out, err = _init(empty, "--force")
    assert (code, out) == (1, "")
    assert err == (
        "error: not a regular file: .gitignore; remove it, init writes nothing over it\n"
    )
    assert outside.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in empty.iterdir()) == [".gitignore"]
