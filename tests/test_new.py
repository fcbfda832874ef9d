"""`ametijuhend new`: a commented position file that validates except for what is to fill in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import TypeAdapter

from ametijuhend_cli.authoring.scaffold import common_items, most_common, unknown_unit_message
from ametijuhend_cli.estonian.vabamorf import installed
from ametijuhend_cli.models import Position
from conftest import POSITIONS, run

FILL_IN = re.compile(r"^fill in: (.*)$", re.M)
PROBLEM = re.compile(r"^data/positions/(?P<file>[^:]+):\d+:\d+: (?P<field>[^:]+): ", re.M)


def _fill_in(stdout: str) -> list[str]:
    match = FILL_IN.search(stdout)
    assert match, stdout
    return match.group(1).split(", ")


def _reported(stderr: str, file: str) -> list[str]:
    return [m["field"] for m in PROBLEM.finditer(stderr) if m["file"] == file]


@pytest.mark.parametrize(
    "options",
    [
        pytest.param([], id="bare"),
        pytest.param(["--unit", "kov-noustamistalitus", "--title", "Nõunik"], id="unit"),
        pytest.param(["--unit", "ennetustalitus", "--employment", "töötaja"], id="parent-unit"),
        pytest.param(["--from", "koordinaator-klat"], id="from"),
        pytest.param(["--from", "teenusejuht-kov", "--title", "Jurist"], id="from-title"),
    ],
)
def test_validate_names_exactly_the_fields_to_fill_in(project: Path, options: list[str]) -> None:
    result = run("new", "uus", *options)
    assert result.exit_code == 0, result.output
    blanks = _fill_in(result.stdout)
    checked = run("validate")
    assert checked.exit_code == 1
    assert _reported(checked.stderr, "uus.yaml") == blanks
    # nothing else in the project is reported
    assert len(PROBLEM.findall(checked.stderr)) == len(blanks)


def test_in_a_project_without_positions(project: Path) -> None:
    for path in (project / "data/positions").iterdir():
        path.unlink()
    result = run("new", "uus", "--unit", "arendustalitus")
    assert result.exit_code == 0, result.output
    blanks = _fill_in(result.stdout)
    assert "rights" in blanks and "requirements.core_competencies" in blanks
    checked = run("validate")
    assert _reported(checked.stderr, "uus.yaml") == blanks
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    comments = " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))
    assert (
        "Õigused: ids from library/rights.yaml or {text: …}; leave out to drop the section "
        "(the later sections renumber). Ids in library/rights.yaml: "
        "kaugtoo, esindused, info-ja-infosusteemid,"
    ) in comments


def test_every_field_is_there_with_its_description(project: Path) -> None:
    run("new", "uus", "--unit", "arendustalitus")
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/position.schema.json\n")
    keys = re.findall(r"^(?:# )?([a-z_]+):(?: \S.*)?$", text, re.M)
    assert keys == [name for name in Position.model_fields if name != "id"]
    for name in ("title", "purpose", "rights", "requirements", "signatures"):
        description = Position.model_fields[name].description
        assert description is not None
        first_words = " ".join(description.split()[:4])
        assert f"# {first_words}" in text, name
    assert "  # Haridus.\n  education:\n" in text
    assert "# approval:\n#   date:\n#   number:\n#   by:\n" in text


def test_references_come_from_the_units_positions(project: Path) -> None:
    result = run("new", "uus", "--unit", "kov-noustamistalitus")
    assert "library references from the positions of unit kov-noustamistalitus: " in (result.stdout)
    new = yaml.safe_load((project / "data/positions/uus.yaml").read_text(encoding="utf-8"))
    old = yaml.safe_load(
        (project / "data/positions/teenusejuht-kov.yaml").read_text(encoding="utf-8")
    )
    for name in ("rights", "responsibilities", "work_tools", "amendment"):
        assert new[name] == old[name], name
    for name in ("computer_skills", "core_competencies", "competencies"):
        assert new["requirements"][name] == old["requirements"][name], name
    # the employer's title is the unit's, the name a person's: that is left to fill in
    assert new["signatures"]["employer"] == {**old["signatures"]["employer"], "name": None}


def test_a_unit_without_positions_takes_those_of_the_enclosing_unit(project: Path) -> None:
    result = run("new", "uus", "--unit", "ennetustalitus")
    assert (
        "library references from the positions of unit ennetustalitus: "
        "koordinaator-klat, koordinaator-ringist-valja\n"
    ) in result.stdout
    new = yaml.safe_load((project / "data/positions/uus.yaml").read_text(encoding="utf-8"))
    # the two share these (the rest differ, and each is only one of two)
    assert new["requirements"]["computer_skills"] == "ms-office"
    assert new["amendment"] == ["ulevaatamine"]


def test_from_copies_all_but_the_positions_own(project: Path) -> None:
    result = run("new", "uus", "--from", "koordinaator-ringist-valja", "--unit", "klat-srt-tiim")
    assert result.exit_code == 0, result.output
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    new = yaml.safe_load(text)
    old = yaml.safe_load(
        (project / "data/positions/koordinaator-ringist-valja.yaml").read_text(encoding="utf-8")
    )
    assert new["unit"] == "klat-srt-tiim"
    for name in ("employment", "manager", "rights", "responsibilities", "work_tools"):
        assert new[name] == old[name], name
    assert new["requirements"]["languages"] == old["requirements"]["languages"]
    assert new["title"] is None and new["purpose"] is None
    assert new["tasks"] == [{"task": None, "results": None}]
    assert "    # subtasks:\n" in text and "  # signers:\n" in text
    assert new["signatures"]["employee"] == {"name": None}
    assert "# Copied from koordinaator-ringist-valja" in text


@pytest.mark.parametrize("source", POSITIONS)
def test_what_from_copies_reads_back_the_same(project: Path, source: str) -> None:
    run("new", "uus", "--from", source, "--title", "Uus:  ametikoht\n# 2")
    new = yaml.safe_load((project / "data/positions/uus.yaml").read_text(encoding="utf-8"))
    old = yaml.safe_load((project / f"data/positions/{source}.yaml").read_text(encoding="utf-8"))
    assert new["title"] == "Uus: ametikoht # 2"
    for name in ("requirements", "rights", "responsibilities", "amendment", "work_tools"):
        annotation = Position.model_fields[name].annotation
        assert annotation is not None
        adapter: TypeAdapter[Any] = TypeAdapter(annotation)
        assert adapter.validate_python(new.get(name)) == adapter.validate_python(old.get(name))
    # the signatories' titles are copied, their names (people) never
    signatures = {k: {**v, "name": None} for k, v in old["signatures"].items()}
    if "employee" in signatures:
        signatures["employee"] = {"name": None}
    assert new["signatures"] == signatures
    # the partitive is the new title's, which only the user can give
    assert "title_partitive" not in new


def test_from_with_a_title_keeps_no_partitive_and_no_names(project: Path) -> None:
    result = run("new", "uus", "--from", "koordinaator-ringist-valja", "--title", "Jurist")
    assert result.exit_code == 0, result.output
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    for person in ("Mari Tikerpuu", "Maria Merila"):
        assert person not in text
    assert "title_partitive: Koordinaatorit" not in text
    if installed():  # the extra keel forms the new title's cases
        assert "\ntitle_partitive: Juristi\n" in text
    else:
        assert "\n# title_partitive:\n" in text
    assert _fill_in(result.stdout)[-2:] == ["signatures.employer.name", "signatures.employee.name"]


LONG = "Pikk tekst: " + " ".join(["sõna, mis # ei ole kommentaar"] * 8)


def test_long_and_inline_texts_read_back_the_same(project: Path) -> None:
    source = yaml.safe_load(
        (project / "data/positions/teenusejuht-kov.yaml").read_text(encoding="utf-8")
    )
    source["rights"].append({"text": LONG})
    source["work_tools"] = {"text": LONG}
    source["requirements"]["competencies"].append({"name": "Oma", "text": LONG})
    source["requirements"]["knowledge"] = [LONG, "'jutumärgid' ja: koolon"]
    source["requirements"]["experience"] = LONG
    (project / "data/positions/allikas.yaml").write_text(
        yaml.safe_dump(source, allow_unicode=True), encoding="utf-8"
    )
    assert run("new", "uus", "--from", "allikas").exit_code == 0
    text = (project / "data/positions/uus.yaml").read_text(encoding="utf-8")
    assert max(len(line) for line in text.splitlines()) <= 88
    new = yaml.safe_load(text)
    assert new["rights"][-1] == {"text": LONG}
    assert new["work_tools"] == {"text": LONG}
    assert new["requirements"]["competencies"][-1] == {"name": "Oma", "text": LONG}
    assert new["requirements"]["knowledge"] == [LONG, "'jutumärgid' ja: koolon"]
    assert new["requirements"]["experience"] == LONG


def test_filled_in_it_builds(project: Path) -> None:
    run("new", "uus", "--from", "teenusejuht-kov", "--title", "Jurist")
    path = project / "data/positions/uus.yaml"
    text = path.read_text(encoding="utf-8")
    for key, value in [
        ("purpose:", "purpose: Ametikoha eesmärk on õigusabi."),
        ("  - task:", "  - task: Õigusabi andmine."),
        ("    results:", "    results: Abi on antud."),
        ("    name:\n", "    name: Mari Mets\n"),
        ("    name:\n", "    name: Jaan Tamm\n"),
    ]:
        assert f"\n{key}" in text, key
        text = text.replace(f"\n{key}", f"\n{value}", 1)
    path.write_text(text, encoding="utf-8")
    result = run("build", "uus", "--format", "md")
    assert result.exit_code == 0, result.output
    markdown = (project / "out/uus.md").read_text(encoding="utf-8")
    assert "Jurist" in markdown and "3.1" in markdown and "Õigusabi andmine." in markdown


def test_refuses_to_overwrite(project: Path) -> None:
    before = (project / "data/positions/teenusejuht-kov.yaml").read_bytes()
    result = run("new", "teenusejuht-kov")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: data/positions/teenusejuht-kov.yaml already exists; "
        "choose another id or edit that file\n"
    )
    assert (project / "data/positions/teenusejuht-kov.yaml").read_bytes() == before


@pytest.mark.parametrize("bad", ["Uus", "../uus", "uus.yaml", "-uus", "con", "a" * 81, "uus/x"])
def test_the_id_must_be_a_safe_name(project: Path, bad: str) -> None:
    result = run("new", "--", bad)
    assert result.exit_code == 2
    assert "Invalid value for 'POSITION_ID': " in result.stderr
    assert "is not a valid id" in result.stderr
    assert sorted(p.name for p in (project / "data/positions").iterdir()) == sorted(
        p.name for p in (project / "data/positions").glob("*.yaml")
    )
    assert not list(project.rglob("*uus*"))


def test_unknown_unit_and_position(project: Path) -> None:
    result = run("new", "uus", "--unit", "arendus")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: unknown unit 'arendus' (did you mean arendustalitus?); "
        "units are defined in organization.yaml\n",
    )
    result = run("new", "uus", "--from", "teenusejuht")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: unknown position 'teenusejuht' (did you mean teenusejuht-kov?)\n",
    )
    assert not (project / "data/positions/uus.yaml").exists()


def test_from_a_broken_position_shows_its_problems(project: Path) -> None:
    path = project / "data/positions/teenusejuht-kov.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "titel:", 1), "utf-8")
    result = run("new", "uus", "--from", "teenusejuht-kov")
    assert result.exit_code == 1
    assert result.stderr == (
        "data/positions/teenusejuht-kov.yaml:3:1: titel: unknown field 'titel'\n"
        "    hint: did you mean 'title' or 'subtitle'?\n"
        "1 problem in 1 file; nothing was written\n"
    )


def test_mentions_a_missing_schema(project: Path) -> None:
    result = run("new", "uus")
    assert result.stdout.splitlines()[-1] == (
        "note: schemas/position.schema.json is not there yet; `ametijuhend schema` writes it, "
        "for completion and checks in your editor"
    )
    run("schema")
    result = run("new", "uus2")
    assert result.stdout.splitlines()[-1] == "then check it: ametijuhend validate"


def test_common_items_keep_the_usual_order() -> None:
    lists = [["a", "b", "c"], ["a", "c", "d"], ["b", "a", "c", "e"]]
    assert common_items(lists, 3) == ["a", "b", "c"]
    assert common_items(lists, 4) == ["a", "b", "c"]  # 2 of 4 is half
    assert common_items(lists, 5) == ["a", "c"]
    assert common_items([[{"ref": "x", "variant": "v"}], [{"ref": "x"}]], 2) == [
        {"ref": "x", "variant": "v"},
        {"ref": "x"},
    ]
    assert common_items([], 0) == []


def test_most_common_prefers_the_first_among_equals() -> None:
    assert most_common(["a", "b", "b", "a"]) == "a"
    assert most_common(["a", "b", "b"]) == "b"
    assert most_common([None, None, "x"]) is None
    assert most_common([]) is None


UNITS = {
    "ohvriabi": "Ohvriabi ja ennetusteenuste osakond",
    "ennetustalitus": "ennetustalitus",
    "arendustalitus": "Arendustalitus",
}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            "arendus",
            "unknown unit 'arendus' (did you mean arendustalitus?); "
            "units are defined in organization.yaml",
        ),
        (
            "arnedustalitus",
            "unknown unit 'arnedustalitus' (did you mean arendustalitus, ennetustalitus?); "
            "units are defined in organization.yaml",
        ),
        (
            "ARENDUSTALITUS",
            "unknown unit 'ARENDUSTALITUS'; --unit takes the id of a unit: did you mean "
            "--unit arendustalitus (Arendustalitus)?",
        ),
        (
            "Ohvriabi ja  ennetusteenuste osakond",
            "unknown unit 'Ohvriabi ja  ennetusteenuste osakond'; --unit takes the id of a "
            "unit: did you mean --unit ohvriabi (Ohvriabi ja ennetusteenuste osakond)?",
        ),
        (
            "ohvriabi osakond",
            "unknown unit 'ohvriabi osakond' (did you mean ohvriabi?); "
            "units are defined in organization.yaml",
        ),
        (
            "xyz",
            "unknown unit 'xyz'; units are defined in organization.yaml: "
            "arendustalitus, ennetustalitus, ohvriabi",
        ),
    ],
)
def test_an_unknown_unit_names_the_unit_meant(given: str, message: str) -> None:
    assert str(unknown_unit_message(given, UNITS)) == message


def test_an_unknown_unit_in_an_organization_without_units() -> None:
    assert str(unknown_unit_message("x", {})) == (
        "unknown unit 'x'; units are defined in organization.yaml, which has none yet"
    )
