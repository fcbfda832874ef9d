"""What a process keeps by file contents (memo.py): bounded, and a changed file is read anew."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ametijuhend_cli.memo import Memo
from conftest import REPO, edit, run


def test_the_least_used_value_goes_first() -> None:
    memo: Memo[str, int] = Memo(2)
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    assert memo.get("a", lambda: make("a")) == 1
    assert memo.get("b", lambda: make("b")) == 2
    assert memo.get("a", lambda: make("a")) == 1  # kept: "b" is now the least used
    assert memo.get("c", lambda: make("c")) == 3
    assert len(memo) == 2
    assert memo.get("a", lambda: make("a")) == 1
    assert memo.get("b", lambda: make("b")) == 4  # it went first, so it is made again
    assert made == ["a", "b", "c", "b"]


def test_a_failure_is_not_kept() -> None:
    memo: Memo[str, int] = Memo(4)
    calls = 0

    def broken() -> int:
        nonlocal calls
        calls += 1
        raise ValueError("a problem in the file")

    for _ in range(2):
        with pytest.raises(ValueError, match="a problem in the file"):
            memo.get("x", broken)
    assert calls == 2 and len(memo) == 0


@pytest.fixture
def templated(project: Path) -> Path:
    """Return the sample project with the built-in templates as its own templates/ folder."""
    shutil.copytree(REPO / "templates", project / "templates")
    return project


def _markdown(project: Path) -> str:
    result = run("build", "--format", "md", "teenusejuht-kov")
    assert result.exit_code == 0, result.stderr
    return (project / "out" / "teenusejuht-kov.md").read_text(encoding="utf-8")


def test_a_changed_layout_and_wording_are_read_anew_in_one_process(templated: Path) -> None:
    before = _markdown(templated)
    assert before.startswith("# AMETIJUHEND\n")
    wording = templated / "templates" / "wording.yaml"
    edit(wording, "document_title: AMETIJUHEND", "document_title: TÖÖJUHEND")
    changed = _markdown(templated)
    assert changed.startswith("# TÖÖJUHEND\n")
    layout = templated / "templates" / "layouts" / "oma.yaml"
    layout.write_text("extends: standard\nwording:\n  document_title: JUHEND\n", encoding="utf-8")
    (templated / "ametijuhend.yaml").write_text("layout: oma\n", encoding="utf-8")
    assert _markdown(templated).startswith("# JUHEND\n")
    edit(layout, "JUHEND", "KIRJELDUS")
    assert _markdown(templated).startswith("# KIRJELDUS\n")
    edit(layout, "KIRJELDUS", "JUHEND")
    first = _markdown(templated)
    assert first.startswith("# JUHEND\n")  # the first version again
    edit(layout, "extends: standard", "extends: standard-2024")
    other = _markdown(templated)
    assert other.startswith("# JUHEND\n") and other != first


def test_a_broken_layout_is_reported_every_time(templated: Path) -> None:
    (templated / "ametijuhend.yaml").write_text("layout: amet\n", encoding="utf-8")
    layout = templated / "templates" / "layouts" / "amet.yaml"
    edit(layout, "approval: annex", "approval: [annex")
    for _ in range(2):
        result = run("validate")
        assert result.exit_code == 1
        assert "templates/layouts/amet.yaml:" in result.stderr


def test_the_near_identical_pairs_are_found_anew_for_changed_texts() -> None:
    from ametijuhend_cli.organization import hygiene

    texts = {
        "kaugtoo": "teha kaugtööd kokkuleppel vahetu juhiga",
        "kaugtoo-2": "teha kaugtööd kokkuleppel vahetu juhiga.",
        "koolitus": "osaleda koolitustel",
    }
    assert hygiene.near_identical(texts) == [("kaugtoo", "kaugtoo-2")]
    kept = len(hygiene._NEAR)
    assert hygiene.near_identical(dict(texts)) == [("kaugtoo", "kaugtoo-2")]
    assert len(hygiene._NEAR) == kept  # the same texts: found once
    # a text changed, an id changed: read anew, never the pairs of the old texts
    changed = {**texts, "kaugtoo-2": "osaleda koolitustel kord aastas"}
    assert hygiene.near_identical(changed) == []
    renamed = {"a": texts["kaugtoo"], "b": texts["kaugtoo-2"], "c": texts["koolitus"]}
    assert hygiene.near_identical(renamed) == [("a", "b")]
    # the caller's list is its own
    hygiene.near_identical(texts).clear()
    assert hygiene.near_identical(texts) == [("kaugtoo", "kaugtoo-2")]


def test_a_changed_library_file_is_read_anew_and_its_problems_reported_every_time(
    project: Path,
) -> None:
    from ametijuhend_cli.sources import project as loading

    rights = project / "data" / "library" / "rights.yaml"
    before = _markdown(project)
    assert "koolitustel jt arendustegevustes" in before
    kept = len(loading._LIBRARY_FILES)
    assert _markdown(project) == before
    assert len(loading._LIBRARY_FILES) == kept  # the same files: read and validated once
    edit(rights, "koolitustel jt arendustegevustes", "koolitustel")
    changed = _markdown(project)
    assert "koolitustel jt" not in changed and "vajalikel koolitustel" in changed
    edit(rights, "koolitustel\n", "koolitustel jt arendustegevustes\n")
    assert _markdown(project) == before  # the first version again
    # a broken entry and a file that is no YAML: reported on every run, not only the first
    edit(
        rights,
        "koolitused: osaleda ametikohale vajalikel koolitustel jt arendustegevustes",
        "koolitused: [osaleda, koolitustel]",
    )
    for _ in range(2):
        result = run("validate")
        assert result.exit_code == 1
        assert "rights.yaml:11:13: koolitused: expected text, got a list" in result.stderr
    rights.write_text("- a list\n", encoding="utf-8")
    for _ in range(2):
        result = run("validate")
        assert result.exit_code == 1
        assert "data/library/rights.yaml:1:" in result.stderr, result.stderr
