"""Layout files and policies: choosing a layout, extending one, and the located problems."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from test_layouts import BUILTIN

from conftest import REPO, run, working_folder

POSITION = "teenusejuht-kov"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def position(project: Path, pid: str = POSITION) -> Path:
    return project / "data" / "positions" / f"{pid}.yaml"


def change(project: Path, pid: str, **fields: object) -> None:
    """Set (or, with None, remove) top-level fields of a position file."""
    path = position(project, pid)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def only_position(project: Path, pid: str = POSITION) -> None:
    for path in (project / "data" / "positions").iterdir():
        if path.stem != pid:
            path.unlink()


# --- choosing a layout ----------------------------------------------------------


def test_a_position_may_name_another_layout(project: Path) -> None:
    change(project, POSITION, layout="ministeerium", annex="2")
    assert run("build").exit_code == 0
    md = (project / "out" / f"{POSITION}.md").read_text(encoding="utf-8")
    assert md.startswith("Lisa 2\n\n# AMETIJUHEND\n\n## I ÜLDSÄTTED\n")
    assert "1.3. Vahetu juht: Piirkonna juht" in md and "## II TEENISTUSKOHA EESMÄRK" in md
    other = (project / "out" / "ekspert-kriisiabi.md").read_text(encoding="utf-8")
    assert "## 1. ÜLDOSA" in other  # the others keep the project's layout


def test_the_project_file_chooses_the_layout(project: Path) -> None:
    only_position(project)
    write(project / "ametijuhend.yaml", "layout: standard-2024\n")
    change(project, POSITION, approval=None, annex="7")
    assert run("build").exit_code == 0, run("validate").stderr
    md = (project / "out" / f"{POSITION}.md").read_text(encoding="utf-8")
    assert md.startswith("Lisa 7\n\n# AMETIJUHEND\n")
    assert "| 1.1 Teenistuskoha nimetus | Teenusejuht |" in md


def test_a_project_layout_extends_a_builtin_one(project: Path) -> None:
    write(
        project / "templates" / "layouts" / "oma.yaml",
        "extends: ministeerium\nnumbering: {sections: '{n}.'}\n"
        "wording: {headings: {general: ÜLDOSA JA ALLUVUS}}\n",
    )
    change(project, POSITION, layout="oma", annex="2")
    assert run("build", POSITION).exit_code == 0
    md = (project / "out" / f"{POSITION}.md").read_text(encoding="utf-8")
    assert "## 1. ÜLDOSA JA ALLUVUS" in md and "## 2. TEENISTUSKOHA EESMÄRK" in md
    assert "1.1. Teenistuskoha nimetus: Teenusejuht" in md
    other = project / "out" / "ekspert-kriisiabi.md"
    assert run("build").exit_code == 0
    assert "## 1. ÜLDOSA\n" in other.read_text(encoding="utf-8")  # wording per layout


def test_a_changed_layout_file_rebuilds_its_documents(project: Path) -> None:
    layout = write(project / "templates" / "layouts" / "oma.yaml", "extends: standard\n")
    write(project / "ametijuhend.yaml", "layout: oma\n")
    assert run("build").exit_code == 0
    layout.write_text("extends: standard\nnumbering: {sections: '{roman}'}\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0 and "8 files written" in result.stdout
    md = (project / "out" / f"{POSITION}.md").read_text(encoding="utf-8")
    assert "## I ÜLDOSA" in md


def test_every_builtin_layout_starts_a_project_that_builds(tmp_path: Path) -> None:
    for name in BUILTIN:
        folder = tmp_path / name
        result = run("init", "--agency", "Proovi Amet", "--dir", str(folder), "--layout", name)
        assert result.exit_code == 0, result.output
        assert f"\nlayout: {name} " in (folder / "ametijuhend.yaml").read_text(encoding="utf-8")
        with working_folder(folder):
            checked = run("validate")
            assert checked.exit_code == 0, (name, checked.stderr)
            assert run("build").exit_code == 0, name


def test_init_lists_the_layouts(tmp_path: Path) -> None:
    listed = run("init", "--agency", "X", "--dir", str(tmp_path / "x"), "--layout", "list")
    assert listed.exit_code == 0 and not (tmp_path / "x").exists()
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == BUILTIN
    assert "Ministeerium – " in listed.stdout
    unknown = run("init", "--agency", "X", "--dir", str(tmp_path / "y"), "--layout", "ministeeriun")
    assert unknown.exit_code == 2
    assert "unknown layout 'ministeeriun'; the built-in layouts:\n  amet " in unknown.stderr
    helped = run("init", "--help")
    assert "Layouts (--layout NAME):\n  amet " in helped.stdout


# --- problems, located ----------------------------------------------------------


def problems_of(project: Path) -> str:
    result = run("validate")
    assert result.exit_code == 1
    return result.stderr


def test_a_title_form_the_layout_prints_is_required(project: Path) -> None:
    only_position(project)
    change(project, POSITION, layout="amet", annex="1")
    assert problems_of(project) == (
        "data/positions/teenusejuht-kov.yaml:1:1: title_genitive: required field "
        "'title_genitive' is missing\n"
        "    hint: add a line 'title_genitive: …'; the layout 'amet' prints the title in that "
        "form ('{title_genitive} {document_title}')\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_the_policy_names_what_is_missing(project: Path) -> None:
    only_position(project)
    change(project, POSITION, layout="standard-2024", purpose=None, approval=None, manager=None)
    assert problems_of(project) == (
        "data/positions/teenusejuht-kov.yaml:1:1: required fields are missing: manager, purpose\n"
        "    hint: add a line 'field: …' for each of them; the layout 'standard-2024' requires "
        "manager, purpose (policy 'avalik-teenistus')\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_a_layout_with_a_looser_policy_needs_less(project: Path) -> None:
    only_position(project)
    write(project / "ametijuhend.yaml", "layout: kool\n")
    change(project, POSITION, purpose=None, substitutes=None, requirements=None, approval=None)
    change(project, POSITION, title_genitive="Teenusejuhi", signatures=None)
    result = run("validate")
    assert result.exit_code == 0, result.stderr


def test_content_the_layout_does_not_print_is_refused(project: Path) -> None:
    only_position(project)
    write(project / "ametijuhend.yaml", "layout: kultuurikeskus\n")
    hint = (
        "    hint: give it a place in a layout of your own (templates/layouts/NAME.yaml with "
        "'extends: kultuurikeskus') ({where}) or leave it out here\n"
    )
    assert problems_of(project) == (
        "data/positions/teenusejuht-kov.yaml:9:14: substitutes: the layout 'kultuurikeskus' "
        "does not print substitutes\n"
        + hint.format(where="'substitutes' in general.fields, or in sections")
        + "data/positions/teenusejuht-kov.yaml:23:3: "
        "tasks: the layout 'kultuurikeskus' does not print the results of a task (task 1: "
        "'Kliendikeskse hoiaku kujundamine ja tee…')\n"
        "    hint: change tasks in a layout of your own (templates/layouts/NAME.yaml with "
        "'extends: kultuurikeskus') or leave them out\n"
        "data/positions/teenusejuht-kov.yaml:113:3: signatures: the layout 'kultuurikeskus' "
        "does not print signatures\n"
        + hint.format(where="end.signatures: true")
        + "3 problems in 1 file; nothing was written\n"
    )


def test_an_unknown_layout_is_named(project: Path) -> None:
    only_position(project)
    write(position(project), "layout: ministeriumi\n" + position(project).read_text("utf-8"))
    assert problems_of(project) == (
        "data/positions/teenusejuht-kov.yaml:1:9: layout: unknown layout 'ministeriumi'\n"
        "    hint: closest known layouts: ministeerium\n"
        "1 problem in 1 file; nothing was written\n"
    )
    write(project / "ametijuhend.yaml", "layout: omavalitsuse\n")
    position(project).write_text(
        (REPO / "data" / "positions" / f"{POSITION}.yaml").read_text("utf-8"), encoding="utf-8"
    )
    assert problems_of(project).startswith(
        "ametijuhend.yaml: layout: unknown layout 'omavalitsuse'\n"
        "    hint: closest known layouts: omavalitsus\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "extends: standard\nsectons: [general]\n",
            "templates/layouts/oma.yaml:2:1: sectons: unknown field 'sectons'\n"
            "    hint: did you mean 'sections' or 'extra_sections'?\n",
            id="unknown-key",
        ),
        pytest.param(
            "extends: oma\n",
            "templates/layouts/oma.yaml:1:10: extends: the layouts extend each other in a "
            "circle: oma → oma\n"
            "    hint: one of them must not extend another\n",
            id="circle",
        ),
        pytest.param(
            "extends: standrd\n",
            "templates/layouts/oma.yaml:1:10: extends: unknown layout 'standrd'\n"
            "    hint: closest known layouts: standard, standard-2024\n",
            id="unknown-base",
        ),
        pytest.param(
            "front: {title: '{title_genetive} {document_title}'}\n",
            "templates/layouts/oma.yaml:1:16: front.title: unknown field {title_genetive} in "
            "'{title_genetive} {document_title}'; the fields here are {document_title}, "
            "{title}, {title_genitive}, {position_number}\n",
            id="template-field",
        ),
        pytest.param(
            "policy: {preset: none, require: [work_tools]}\nsections: [general, purpose, tasks]\n",
            "templates/layouts/oma.yaml:1:9: policy: the policy requires what the layout does "
            "not print: work_tools\n"
            "    hint: give each a place in the layout, or take it out of policy.require\n",
            id="policy-contradiction",
        ),
        pytest.param(
            "policy: {preset: avalik-teenistus}\nsections: [general, tasks, requirements]\n",
            "templates/layouts/oma.yaml:1:9: policy: the policy requires what the layout does "
            "not print: purpose\n"
            "    hint: give each a place in the layout, or list it under policy.omit\n",
            id="policy-preset-contradiction",
        ),
        pytest.param(
            "general: {form: table, columns: 3, widths: [[2, 3]]}\n",
            "templates/layouts/oma.yaml:1:44: general.widths: the 'table' form with 3 columns "
            "takes one list of 3 widths, e.g. [[1, 3, 6]]\n",
            id="general-widths",
        ),
        pytest.param(
            "wording: {headings: {general: ''}}\n",
            "templates/layouts/oma.yaml:1:31: wording.headings.general: must not be empty\n",
            id="wording",
        ),
    ],
)
def test_a_broken_layout_file_is_located(project: Path, text: str, expected: str) -> None:
    write(project / "templates" / "layouts" / "oma.yaml", text)
    write(project / "ametijuhend.yaml", "layout: oma\n")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.startswith(expected), result.stderr
    assert run("build").exit_code == 1


def test_the_builtin_layouts_are_package_data() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"layouts/*.yaml"' in pyproject
