"""Write the reference of the YAML format (docs/format.md) from the JSON Schemas."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from ametijuhend_cli.authoring.schema import SLUG_PATTERN, SchemaFile, schema_files

DOCS_FILE = Path("docs") / "format.md"

INTRO = """\
# The YAML format

<!-- Generated from the models by `make docs` (python -m ametijuhend_cli.authoring.docsgen);
     do not edit by hand: a test fails when this file is stale. -->

Every file of a project, field by field. The same descriptions are in the
JSON Schemas that `ametijuhend schema` writes for editors, and in the
comments of the files `ametijuhend new` writes.

Types:

- **text**: one paragraph. Line breaks and repeated spaces are folded into one
  space, so a long text may be written over several lines with `>-`. A number
  is read as text.
- **id**: lowercase letters `a-z`, digits, `-` and `_`, at most 80
  characters, not starting or ending with `-` or `_`.
- **library id**: the id of an entry of the library file the field names.
- **date**: `YYYY-MM-DD`, e.g. `2024-02-12`.
- A field that takes a text or a list takes either `key: text` or a list of
  `- text` lines.
- Unknown fields are errors, so a misspelt key never disappears silently.
- A text made only of spaces and invisible characters (zero-width space, soft
  hyphen, byte-order mark) is empty.

Which fields a position must give is the policy of its layout (see
[Layout](#layout-templateslayoutsyaml)), not the schema: every position gives
`title`, `employment`, `unit` and at least one task; the default layout
(`standard`, policy `standard`) asks for the manager, both substitution
fields, the purpose, the results of every task, the requirements (education,
experience, languages, computer skills, core competencies) and the signatures,
as the format always did; `avalik-teenistus` asks for the manager, the purpose,
education and languages; `tooleping` for the tasks alone. `validate` names each
field a position's layout requires and the position lacks, and each field it
gives that its layout does not print. Sections real documents leave out, each
by leaving its field out (or `[]`): `rights`, `responsibilities`,
`work_tools`, `amendment`, and in the requirements `competencies` and
`knowledge` (with neither, their sub-section is dropped). The later sections
renumber. `extra_sections` adds the agency's own sections, after the section
each names in `after` or at the end.

Lists that continue a lead-in (rights, responsibilities, sub-tasks, the
lists under results) get ";" after each item and "." after the last; a
sub-task or list item that already ends in punctuation is printed as typed.
"""


def _anchor(name: str) -> str:
    return name.lower()


def _link(ref: str) -> str:
    name = ref.rsplit("/", 1)[-1]
    return f"[{name}](#{_anchor(name)})"


def _is_text(node: dict[str, Any]) -> bool:
    return node.get("type") == ["string", "number"]


_PLURALS = {"text": "texts", "id": "ids", "library id": "library ids", "date": "dates"}


def _plural(words: str) -> str:
    if words.startswith("whole number"):
        return "whole numbers" + words[len("whole number") :]
    if words.startswith("one of "):
        return words[len("one of ") :]
    return _PLURALS.get(words, words)


def type_of(node: dict[str, Any]) -> str:
    """Return the type of a schema node in words, e.g. ``list of texts, at least 1``."""
    if "$ref" in node:
        return _link(node["$ref"])
    if "allOf" in node and len(node["allOf"]) == 1:
        return type_of(node["allOf"][0])
    if "anyOf" in node or "oneOf" in node:
        return _choice_of(node["anyOf"] if "anyOf" in node else node["oneOf"])
    if "enum" in node:
        quoted = [f"`{value}`" for value in node["enum"]]
        return "one of " + ", ".join(quoted[:-1]) + " or " + quoted[-1]
    if _is_text(node):
        return "text"
    kind = node.get("type")
    if kind == "string":
        return _string_of(node)
    if kind == "array":
        return "list of " + _plural(type_of(node["items"])) + _at_least(node, "minItems")
    if kind in ("object", ["object", "null"]) and isinstance(
        node.get("additionalProperties"), dict
    ):
        mapping = "mapping of id → " + type_of(node["additionalProperties"])
        return mapping + _at_least(node, "minProperties")
    if kind == "object" and node.get("additionalProperties", True) is True:
        return "mapping (keys of wording.yaml)"
    if kind == "integer":
        return "whole number" + (f" ≥ {node['minimum']}" if "minimum" in node else "")
    if kind == "boolean":
        return "`true` or `false`"
    raise ValueError(f"no words for the schema {node}")


def _choice_of(choices: list[dict[str, Any]]) -> str:
    options = [o for o in choices if o != {"type": "null"}]
    if len(options) == 2 and _is_text(options[0]) and options[1].get("type") == "array":
        return "text or " + type_of(options[1])
    return " or ".join(type_of(o) for o in options)


def _string_of(node: dict[str, Any]) -> str:
    if node.get("format") == "date":
        return "date"
    if node.get("pattern") == SLUG_PATTERN:
        return "id"
    return "library id" if node.get("pattern") else "text"


def _at_least(node: dict[str, Any], key: str) -> str:
    return f", at least {node[key]}" if node.get(key) else ""


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(node: dict[str, Any]) -> list[str]:
    required = set(node.get("required", []))
    lines = ["| field | type | required | description |", "|---|---|---|---|"]
    for name, prop in node.get("properties", {}).items():
        description = prop.get("description", "")
        default = prop.get("default")
        if default not in (None, [], {}):
            shown = default if isinstance(default, str) else json.dumps(default)
            description += f" Default: `{shown}`."
        lines.append(
            f"| `{name}` | {_cell(type_of(prop))} | {'yes' if name in required else 'no'} "
            f"| {_cell(description)} |"
        )
    return lines


def _references(node: Any, found: list[str]) -> None:
    """Collect the definitions ``node`` refers to, in the order they first appear."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in found:
            found.append(ref.rsplit("/", 1)[-1])
        for key, value in node.items():
            if key != "definitions":
                _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)


def _definition(name: str, node: dict[str, Any]) -> list[str]:
    lines = [f"### {name}", ""]
    if node.get("description"):
        lines += [node["description"], ""]
    if "anyOf" in node:  # a shorthand: the id alone, or the mapping
        shorthand, mapping = node["anyOf"]
        lines += [
            f"Either a {type_of(shorthand)} alone (`- some-id`), or a mapping:",
            "",
        ]
        node = mapping
    return lines + _table(node) + [""]


def _file_section(schema: SchemaFile, heading: str, done: set[str]) -> list[str]:
    body = schema.schema
    lines = [f"{heading} {body['title']} (`{schema.files}`)", ""]
    lines += [body["description"], ""]
    lines += [f"JSON Schema: `{schema.name}`.", ""]
    if "properties" in body:
        lines += _table(body) + [""]
    else:
        lines += [f"The file is a {type_of(body)}.", ""]
    definitions = body.get("definitions", {})
    order: list[str] = []
    _references(body, order)
    i = 0
    while i < len(order):  # and what those refer to, in turn
        _references(definitions.get(order[i], {}), order)
        i += 1
    for name in order:
        if name not in done and name in definitions:
            done.add(name)
            lines += _definition(name, definitions[name])
    return lines


def format_reference() -> str:
    """Return the Markdown reference of every file kind."""
    files = schema_files()
    done: set[str] = set()
    lines = [INTRO]
    by_name = {f.name: f for f in files}
    lines += _file_section(by_name["position.schema.json"], "##", done)
    lines += _file_section(by_name["organization.schema.json"], "##", done)
    lines += [
        "## Libraries",
        "",
        "Each library file in `data/library/` maps ids to entries; positions refer to",
        "the entries by id.",
        "",
    ]
    for schema in files:
        if schema.name.startswith("library-"):
            lines += _file_section(schema, "###", done)
    lines += _file_section(by_name["ametijuhend.schema.json"], "##", done)
    lines += _file_section(by_name["layout.schema.json"], "##", done)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    """Write the reference to the file given (default: docs/format.md); return the exit code."""
    from ametijuhend_cli.writing import write_file

    target = Path(argv[0]) if argv else DOCS_FILE
    changed = write_file(target, format_reference().encode("utf-8"))
    print(f"{'wrote' if changed else 'unchanged'} {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
