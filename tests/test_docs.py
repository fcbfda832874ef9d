"""docs/format.md: generated from the models, complete, and never stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel

from ametijuhend_cli.authoring.docsgen import format_reference, type_of
from ametijuhend_cli.authoring.yamlwriter import model_of
from ametijuhend_cli.models import Organization, Position
from ametijuhend_cli.sources.projectfile import ProjectFile
from conftest import REPO


def test_format_reference_is_fresh() -> None:
    committed = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    assert committed == format_reference(), "docs/format.md is stale: run `make docs`"


def _models(root: type[BaseModel]) -> list[type[BaseModel]]:
    found = [root]
    for model in found:
        for info in model.model_fields.values():
            sub = model_of(info.annotation)
            if sub is not None and sub not in found:
                found.append(sub)
    return found


@pytest.mark.parametrize("root", [Position, Organization, ProjectFile])
def test_every_field_has_a_row(root: type[BaseModel]) -> None:
    text = format_reference()
    for model in _models(root):
        section = text if model is root else text.split(f"\n### {model.__name__}\n", 1)[1]
        for name, info in model.model_fields.items():
            assert info.description, f"{model.__name__}.{name} has no description"
            row = f"| `{name}` | "
            assert row in section, f"{model.__name__}.{name}"
            # a file's own fields may share a name with another file's ('layout')
            lines = [part.split("\n", 1)[0] for part in section.split(row)[1:]]
            assert any(" ".join(info.description.split()) in line for line in lines)


def test_types_in_words() -> None:
    assert type_of({"type": ["string", "number"]}) == "text"
    assert type_of({"type": "array", "items": {"type": "integer", "minimum": 1}}) == (
        "list of whole numbers ≥ 1"
    )
    assert type_of({"enum": ["A1", "A2", "B1"], "type": "string"}) == "one of `A1`, `A2` or `B1`"
    assert type_of({"anyOf": [{"$ref": "#/definitions/Task"}, {"type": "null"}]}) == (
        "[Task](#task)"
    )
    with pytest.raises(ValueError, match="no words for the schema"):
        type_of({"type": "tuple"})


def test_the_module_writes_the_file(tmp_path: Path) -> None:
    target = tmp_path / "format.md"
    result = subprocess.run(
        [sys.executable, "-m", "ametijuhend_cli.authoring.docsgen", str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8") == format_reference()
