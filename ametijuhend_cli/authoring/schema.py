"""JSON Schemas of the YAML files, generated from the models, for editors and checks."""

from __future__ import annotations

import copy
import inspect
import json
import os
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue

from ametijuhend_cli import ids, layout, models, texts
from ametijuhend_cli.layout import Layout
from ametijuhend_cli.models import (
    LIBRARY_DESCRIPTIONS,
    LIBRARY_FILES,
    CompetencyLibrary,
    Organization,
    Position,
    TextLibrary,
)
from ametijuhend_cli.sources.projectfile import ProjectFile

#: Draft 7 is the newest dialect the common editors (yaml-language-server, VS Code)
#: support in full; the schemas use nothing newer.
DIALECT = "http://json-schema.org/draft-07/schema#"
#: ids.check_slug as one regular expression (the names Windows reserves excluded)
SLUG_PATTERN = "^(?!(?:" + "|".join(sorted(ids.WINDOWS_RESERVED)) + ")$)" + ids.SLUG.pattern[1:]
#: What a Text accepts: one non-blank paragraph; numbers are read as text too.
TEXT_SCHEMA: dict[str, Any] = {
    "type": ["string", "number"],
    "pattern": r"\S",
    "patternErrorMessage": "must not be empty",
}
SLUG_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": SLUG_PATTERN,
    "patternErrorMessage": "an id: lowercase letters a-z, digits, '-' and '_' (at most 80)",
}
_REF_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": r"\S",
    "description": "Id of a library entry (short for {ref: …}).",
}
_REF_TEMPLATE = "#/definitions/{model}"

# How the validators of texts.py and models.py read in JSON Schema. They are matched by
# identity: a new validator on a shared type needs an entry here.
_AFTER: dict[Callable[..., Any], dict[str, Any]] = {
    texts._text: TEXT_SCHEMA,
    ids.check_slug: SLUG_SCHEMA,
}


#: The shorthands of the layout file: a key alone stands for a mapping of that key.
_SHORTHAND_KEYS: dict[Callable[..., Any], Any] = {
    layout._section_shorthand: layout.LayoutSectionKey,
    layout._field_shorthand: layout.GeneralKey,
}


#: Models that a text alone may stand for, and what that text is.
_MODEL_SHORTHANDS: dict[Any, dict[str, Any]] = {
    models._ref_shorthand: _REF_SCHEMA,
    models._task_shorthand: {**TEXT_SCHEMA, "description": "The task alone (no results)."},
}


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, taught our annotated types and the YAML shorthands."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        # generated titles ("Core Competencies") only repeat the key in editors
        return False

    def function_after_schema(self, schema: Any) -> JsonSchemaValue:
        known = _AFTER.get(schema["function"]["function"])
        if known is not None:
            return copy.deepcopy(known)
        return super().function_after_schema(schema)

    def function_before_schema(self, schema: Any) -> JsonSchemaValue:
        # one item or a list: a text (one_or_many) or a person (people_or_one)
        function = schema["function"]["function"]
        if function in (texts.one_or_many, models.people_or_one):
            many = self.generate_inner(schema["schema"])
            return {"anyOf": [copy.deepcopy(many["items"]), many]}
        if function in _SHORTHAND_KEYS:  # `- general` is short for `- key: general`
            names = list(typing.get_args(_SHORTHAND_KEYS[function]))
            return {"anyOf": [{"enum": names}, self.generate_inner(schema["schema"])]}
        if function is layout._rows:  # a field alone is a row of one
            rows = self.generate_inner(schema["schema"])
            row = rows["items"]
            return {"type": "array", "items": {"anyOf": [copy.deepcopy(row["items"]), row]}}
        return super().function_before_schema(schema)

    def model_schema(self, schema: Any) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        inner = schema["schema"]
        shorthand = _MODEL_SHORTHANDS.get(
            inner["function"]["function"] if inner.get("type") == "function-before" else None
        )
        if shorthand is not None:
            # `- kaugtoo` is short for `- ref: kaugtoo`, `- Nõustamine.` for `- task: …`
            description = json_schema.pop("description", None)
            title = json_schema.pop("title", None)
            wrapped: dict[str, Any] = {"anyOf": [copy.deepcopy(shorthand), json_schema]}
            if title:
                wrapped["title"] = title
            if description:
                wrapped["description"] = description
            return wrapped
        return json_schema

    def dict_schema(self, schema: Any) -> JsonSchemaValue:
        # pydantic writes patternProperties for keys with a pattern, which lets
        # keys that do not match through unchecked; an id key must match
        json_schema = super().dict_schema(schema)
        if json_schema.get("additionalProperties") is True:
            # the default; some pydantic releases write it, others not: the same schema
            del json_schema["additionalProperties"]
        patterns = json_schema.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            names = dict(json_schema.get("propertyNames") or {})
            names.update({k: v for k, v in SLUG_SCHEMA.items() if k != "type"})
            names["pattern"] = pattern
            json_schema["propertyNames"] = names
            json_schema["additionalProperties"] = values
        return json_schema


def _draft7(node: Any) -> Any:
    """Return ``node`` with ``$ref`` siblings moved next to an allOf (draft 7 ignores them)."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _draft7(value) for key, value in node.items()}
    if "$ref" in out and len(out) > 1:
        ref = out.pop("$ref")
        out = {"allOf": [{"$ref": ref}], **out}
    return out


def _finish(
    schema: dict[str, Any], title: str, description: str, *, may_be_empty: bool = False
) -> dict[str, Any]:
    definitions = schema.pop("$defs", None)
    schema.pop("title", None)
    schema.pop("description", None)
    if may_be_empty:  # an empty file reads as null, and the loader takes it as {}
        schema["type"] = ["object", "null"]
    out: dict[str, Any] = {"$schema": DIALECT, "title": title, "description": description}
    out.update(schema)
    if definitions:
        out["definitions"] = definitions
    converted: dict[str, Any] = _draft7(out)
    return converted


def _model_schema(
    model: type[BaseModel], title: str, *, may_be_empty: bool = False
) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF_TEMPLATE, schema_generator=_Generator)
    return _finish(schema, title, inspect.cleandoc(model.__doc__ or ""), may_be_empty=may_be_empty)


def _library_schema(kind: str) -> dict[str, Any]:
    model = CompetencyLibrary if kind == "competencies" else TextLibrary
    full = model.model_json_schema(ref_template=_REF_TEMPLATE, schema_generator=_Generator)
    # the file is the mapping itself: the `entries` wrapper is how the loader validates it
    schema = dict(full["properties"]["entries"])
    if "$defs" in full:
        schema["$defs"] = full["$defs"]
    return _finish(schema, f"Library: {kind}", LIBRARY_DESCRIPTIONS[kind], may_be_empty=True)


@dataclass(frozen=True)
class SchemaFile:
    """One JSON Schema file and the project files it describes."""

    name: str
    #: the files it describes, relative to the project in the default layout
    files: str
    schema: dict[str, Any]

    def text(self) -> str:
        """Return the schema as written to its file."""
        return json.dumps(self.schema, ensure_ascii=False, indent=2) + "\n"


def library_schema_name(kind: str) -> str:
    """Return the file name of the schema of the library ``kind``."""
    return f"library-{kind}.schema.json"


POSITION_SCHEMA = "position.schema.json"
ORGANIZATION_SCHEMA = "organization.schema.json"
PROJECT_SCHEMA = "ametijuhend.schema.json"
LAYOUT_SCHEMA = "layout.schema.json"


def schema_files() -> list[SchemaFile]:
    """Return every schema: position, organization, each library kind and the project file."""
    files = [
        SchemaFile(POSITION_SCHEMA, "data/positions/*.yaml", _model_schema(Position, "Position")),
        SchemaFile(
            ORGANIZATION_SCHEMA,
            "data/organization.yaml",
            _model_schema(Organization, "Organization"),
        ),
    ]
    files += [
        SchemaFile(library_schema_name(kind), f"data/library/{kind}.yaml", _library_schema(kind))
        for kind in LIBRARY_FILES
    ]
    files.append(
        SchemaFile(
            PROJECT_SCHEMA,
            "ametijuhend.yaml",
            _model_schema(ProjectFile, "Project file", may_be_empty=True),
        )
    )
    files.append(
        SchemaFile(
            LAYOUT_SCHEMA,
            "templates/layouts/*.yaml",
            _model_schema(Layout, "Layout", may_be_empty=True),
        )
    )
    return files


def modeline(yaml_file: Path, schema: Path) -> str:
    """Return the comment that points yaml-language-server from ``yaml_file`` to ``schema``."""
    relative = os.path.relpath(schema, yaml_file.parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}"


def write_schemas(folder: Path, on_write: Callable[[Path, bool], None] | None = None) -> list[Path]:
    """Write every schema into ``folder``; return the paths (unchanged files are kept)."""
    from ametijuhend_cli.writing import write_file

    written = []
    for schema in schema_files():
        path = folder / schema.name
        changed = write_file(path, schema.text().encode("utf-8"))
        if on_write is not None:
            on_write(path, changed)
        written.append(path)
    return written
