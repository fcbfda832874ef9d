"""Golden Markdown of the reference positions; regenerate with --update-golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import POSITIONS, REPO, run
from wordmatch import ratio

GOLDEN = REPO / "tests" / "golden"


@pytest.mark.parametrize("position", POSITIONS)
def test_golden_markdown(project: Path, position: str, update_golden: bool) -> None:
    assert run("build", position, "--format", "md").exit_code == 0
    produced = (project / "out" / f"{position}.md").read_text(encoding="utf-8")
    golden = GOLDEN / f"{position}.md"
    if update_golden:
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8"), (
        "Markdown changed: review the difference, then run pytest --update-golden"
    )


@pytest.mark.parametrize("position", POSITIONS)
def test_markdown_matches_reference_words(project: Path, position: str) -> None:
    assert run("build", position, "--format", "md").exit_code == 0
    assert (
        ratio(project / "out" / f"{position}.md", REPO / "tests" / "reference" / f"{position}.txt")
        >= 0.97
    )


def test_markdown_escapes_markup_from_data(project: Path) -> None:
    path = project / "data/positions/teenusejuht-kov.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: Teenusejuht", "title: 'Teenuse*juht* | # <b>'"
    )
    path.write_text(text, encoding="utf-8")
    assert run("build", "teenusejuht-kov", "--format", "md").exit_code == 0
    md = (project / "out/teenusejuht-kov.md").read_text(encoding="utf-8")
    assert "| Teenuse\\*juht\\* \\| # \\<b\\> |" in md


def test_employee_vocabulary(project: Path) -> None:
    assert run("build", "ekspert-kriisiabi", "--format", "md").exit_code == 0
    md = (project / "out/ekspert-kriisiabi.md").read_text(encoding="utf-8")
    for heading in (
        "## 2. TÖÖKOHA EESMÄRK",
        "## 3. TÖÖÜLESANDED",
        "## 7. TÖÖKOHALE ESITATAVAD NÕUDED",
    ):
        assert heading + "\n" in md
    assert "\nTöötajal on õigus:\n" in md and "\nTöötaja vastutab:\n" in md
    assert "AMETIKOHA" not in md


def test_sections_renumber_without_work_tools(project: Path) -> None:
    assert run("build", "koordinaator-klat", "--format", "md").exit_code == 0
    md = (project / "out/koordinaator-klat.md").read_text(encoding="utf-8")
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. ÜLDOSA",
        "## 2. AMETIKOHA EESMÄRK",
        "## 3. TEENISTUSÜLESANDED",
        "## 4. ÕIGUSED",
        "## 5. VASTUTUS",
        "## 6. AMETIKOHALE ESITATAVAD NÕUDED",
        "## 7. AMETIJUHENDI MUUTMINE",
    ]
    tasks = [line.split()[1] for line in md.splitlines() if line.startswith("### 3.")]
    assert tasks == [f"3.{i}" for i in range(1, 15)]


def test_project_template_overrides_builtin(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/position.md.j2").write_text(
        "{{ doc.title }} / {{ doc.unit }}\n", encoding="utf-8"
    )
    (project / "templates/wording.yaml").write_text("document_title: TÖÖJUHEND\n", encoding="utf-8")
    assert run("build", "teenusejuht-kov", "--format", "md").exit_code == 0
    assert (project / "out/teenusejuht-kov.md").read_text(
        encoding="utf-8"
    ) == "Teenusejuht / Õiguse ja järelevalveosakond, KOV nõustamistalitus\n"


def test_broken_template_names_file_and_line(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/position.md.j2").write_text("# {{ doc.title }\n", encoding="utf-8")
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert "templates/position.md.j2:1: template syntax error: unexpected '}'" in result.stderr


def test_undefined_template_variable(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates/position.md.j2").write_text(
        "line one\n{{ doc.nimi }}\n", encoding="utf-8"
    )
    result = run("build", "--format", "md")
    assert result.exit_code == 1
    assert result.stderr == (
        "templates/position.md.j2:2: 'doc' has no attribute 'nimi' (while rendering "
        "ekspert-kriisiabi)\n"
        "    hint: the variables a template can use are listed in the README "
        "(Restyling and rewording)\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_finalized_texts_are_kept_bounded_and_come_out_as_computed() -> None:
    import markupsafe

    from ametijuhend_cli.render import markdown

    texts = ["1. jaanuarist", "a *b* | c", "## x", "plain", "x" * 600]
    expected = [markdown._finalize_text(t) for t in texts]
    markdown._FINALIZED.clear()
    for _ in range(2):  # computed, then looked up
        assert [markdown._finalize(t) for t in texts] == expected
    assert "x" * 600 not in markdown._FINALIZED  # long texts are not kept
    assert markdown._finalize(markupsafe.Markup("*b*")) == "*b*"  # markup as it is
    assert markdown._finalize(3) == 3
    for i in range(markdown._FINALIZED_MAX + 10):
        markdown._finalize(f"text {i}")
    assert len(markdown._FINALIZED) <= markdown._FINALIZED_MAX
    assert markdown._finalize("a *b* | c") == expected[1]
