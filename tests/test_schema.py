"""JSON Schemas: written from the models, valid, fresh, and they accept what the tool accepts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from ametijuhend_cli.authoring.schema import schema_files
from ametijuhend_cli.models import Position
from conftest import REPO, run

SCHEMAS = REPO / "schemas"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


class _Yaml12Loader(yaml.SafeLoader):
    """Reads scalars as yaml-language-server does (YAML 1.2): dates stay strings."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load(text: str) -> Any:
    return yaml.load(text, Loader=_Yaml12Loader)  # a SafeLoader subclass


def _schema_for(path: Path) -> str:
    """Return the schema file a data file should name, from where it is."""
    if path.parent.name == "positions":
        return "position.schema.json"
    if path.parent.name == "library":
        return f"library-{path.stem}.schema.json"
    return "organization.schema.json"


DATA_FILES = sorted(p.relative_to(REPO) for p in (REPO / "data").rglob("*.yaml"))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Return the schemas as `ametijuhend schema --out` writes them, by file name."""
    folder = tmp_path_factory.mktemp("schemas")
    result = run("schema", "--out", str(folder))
    assert result.exit_code == 0, result.output
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.iterdir()}


def test_the_command_writes_every_schema(written: dict[str, dict[str, Any]]) -> None:
    assert sorted(written) == [
        "ametijuhend.schema.json",
        "layout.schema.json",
        "library-clauses.schema.json",
        "library-competencies.schema.json",
        "library-computer_skills.schema.json",
        "library-responsibilities.schema.json",
        "library-rights.schema.json",
        "library-work_tools.schema.json",
        "organization.schema.json",
        "position.schema.json",
    ]
    for schema in written.values():
        jsonschema.Draft7Validator.check_schema(schema)


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_every_data_file_is_valid(path: Path, written: dict[str, dict[str, Any]]) -> None:
    validator = jsonschema.Draft7Validator(written[_schema_for(path)])
    data = _load((REPO / path).read_text(encoding="utf-8"))
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("path", DATA_FILES, ids=str)
def test_every_data_file_names_its_schema(path: Path) -> None:
    match = MODELINE.match((REPO / path).read_text(encoding="utf-8"))
    assert match, "the first line should be '# yaml-language-server: $schema=…'"
    target = ((REPO / path).parent / match.group(1)).resolve()
    assert target == SCHEMAS / _schema_for(path)


def test_committed_schemas_are_fresh() -> None:
    expected = {s.name: s.text() for s in schema_files()}
    found = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.json")}
    assert found == expected, "schemas/ is stale: run `make schema` and commit the result"


def test_descriptions_come_from_the_models(written: dict[str, dict[str, Any]]) -> None:
    position = written["position.schema.json"]
    assert (
        position["properties"]["title"]["description"] == Position.model_fields["title"].description
    )
    # a task is a text alone, or a mapping with its results
    text, task = position["definitions"]["Task"]["anyOf"]
    assert text["description"] == "The task alone (no results)."
    assert task["properties"]["results"]["description"].startswith("Expected results")

    def undescribed(node: Any, where: str) -> list[str]:
        out = []
        if isinstance(node, dict):
            for name, prop in (node.get("properties") or {}).items():
                if "description" not in prop:
                    out.append(f"{where}.{name}")
            for key, value in node.items():
                out += undescribed(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                out += undescribed(value, f"{where}[{i}]")
        return out

    missing = [m for name, s in written.items() for m in undescribed(s, name)]
    assert missing == [], "every field needs Field(description=...)"


def test_a_library_schema_describes_the_mapping_itself(
    written: dict[str, dict[str, Any]],
) -> None:
    validator = jsonschema.Draft7Validator(written["library-rights.schema.json"])
    assert validator.is_valid({"kaugtoo": "teha kaugtööd"})
    assert validator.is_valid(None)  # an empty file
    assert not validator.is_valid({"entries": {"kaugtoo": "teha kaugtööd"}})
    assert not validator.is_valid({"Kaugtöö": "teha kaugtööd"})  # not an id
    assert not validator.is_valid({"con": "teha kaugtööd"})  # reserved on Windows
    assert not validator.is_valid({"kaugtoo": ["a", "b"]})
    competencies = jsonschema.Draft7Validator(written["library-competencies.schema.json"])
    assert competencies.is_valid({"x": {"name": "X", "indicators": "Üks.", "variants": {"a": [1]}}})
    assert not competencies.is_valid({"x": {"name": "X", "indicators": ["Üks."], "varianst": {}}})


# A small valid position; each case below changes one thing. The schema must
# agree with the models on every case, so neither can drift from the other.
BASE = """\
title: Nõunik
employment: ametnik
unit: arendustalitus
manager: Talitusejuhataja
substituted_by: Nõunik
substitutes: [Nõunikku, Juhatajat]
purpose: Ametikoha eesmärk on nõustamine.
tasks:
  - task: Nõustamine.
    results:
      - Nõu on antud.
rights: [kaugtoo, {text: osaleda koolitustel}]
responsibilities: [riigi-vara]
work_tools: kontor
requirements:
  education: Kõrgharidus
  experience: Vähemalt kaheaastane töökogemus.
  languages:
    - {language: eesti, level: C1}
  computer_skills: ms-office
  core_competencies: [kliendikesksus]
  competencies: [{ref: empaatiavoime, variant: luhendatud}, {name: Loovus, text: On loov.}]
amendment: [ulevaatamine]
approval: {date: 2024-02-12, number: 23}
reviewed: 2025-01-15
signatures:
  employer: {name: Mari Maasikas, title: Peadirektor}
  employee: {name: Jaan Tamm}
"""

AGREE = [
    pytest.param("", "", True, id="base"),
    pytest.param("title: Nõunik\n", "titel: Nõunik\n", False, id="unknown-key"),
    pytest.param("title: Nõunik\n", "", False, id="missing"),
    # what a layout requires is its policy (validate), not the schema
    pytest.param("purpose: Ametikoha eesmärk on nõustamine.\n", "", True, id="policy-field"),
    pytest.param("title: Nõunik\n", "title: ''\n", False, id="empty-text"),
    pytest.param("title: Nõunik\n", "title: 2024\n", True, id="number-as-text"),
    pytest.param("title: Nõunik\n", "title: [Nõunik]\n", False, id="list-for-text"),
    pytest.param("employment: ametnik\n", "employment: ametnk\n", False, id="literal"),
    pytest.param("level: C1", "level: C3", False, id="cefr"),
    pytest.param("      - Nõu on antud.\n", "", False, id="empty-results"),
    pytest.param(
        "    results:\n      - Nõu on antud.\n", "    results: Nõu.\n", True, id="one-result"
    ),
    pytest.param("rights: [kaugtoo, ", "rights: [{ref: kaugtoo}, ", True, id="ref-mapping"),
    pytest.param("rights: [kaugtoo, ", "rights: [{reff: kaugtoo}, ", False, id="ref-typo"),
    pytest.param("rights: [kaugtoo, ", "rights: [[kaugtoo], ", False, id="ref-list"),
    pytest.param("work_tools: kontor\n", "work_tools:\n", True, id="optional-empty"),
    pytest.param("work_tools: kontor\n", "", True, id="optional-missing"),
    pytest.param("variant: luhendatud", "indicators: [1, 2]", True, id="indicators"),
    pytest.param("variant: luhendatud", "indicators: [0]", False, id="indicator-zero"),
    pytest.param("number: 23", "numbr: 23", False, id="nested-unknown"),
    pytest.param("reviewed: 2025-01-15\n", "reviewed: [2025]\n", False, id="date-list"),
    pytest.param("{name: Jaan Tamm}", "Jaan Tamm", False, id="string-for-mapping"),
    pytest.param("    - {language: eesti, level: C1}\n", "", False, id="no-languages"),
]


@pytest.mark.parametrize(("old", "new", "valid"), AGREE)
def test_schema_and_models_agree(
    old: str, new: str, valid: bool, written: dict[str, dict[str, Any]]
) -> None:
    assert old in BASE
    text = BASE.replace(old, new, 1)
    validator = jsonschema.Draft7Validator(written["position.schema.json"])
    by_schema = validator.is_valid(_load(text))
    # the tool reads YAML 1.1 (dates are dates); it validates what it loads
    by_models = True
    try:
        Position.model_validate(yaml.safe_load(text))
    except ValueError:
        by_models = False
    assert (by_schema, by_models) == (valid, valid)


def test_project_file_schema(written: dict[str, dict[str, Any]]) -> None:
    validator = jsonschema.Draft7Validator(written["ametijuhend.schema.json"])
    assert validator.is_valid({"out": "dokumendid", "formats": ["docx", "pdf"]})
    assert validator.is_valid(None)
    assert not validator.is_valid({"formats": ["odt"]})
    assert not validator.is_valid({"output": "x"})


def test_schema_without_a_project_needs_out(tmp_path: Path) -> None:
    from conftest import working_folder

    with working_folder(tmp_path):
        result = run("schema")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no project here")


def test_schema_goes_to_the_project_folder_from_the_project_file(project: Path) -> None:
    (project / "ametijuhend.yaml").write_text("schemas: editor/schemas\n", encoding="utf-8")
    result = run("schema")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "wrote editor/schemas/position.schema.json"
    assert result.stdout.splitlines()[-1] == "10 schemas in editor/schemas"
    again = run("schema")
    assert again.stdout.splitlines()[0] == "unchanged editor/schemas/position.schema.json"
