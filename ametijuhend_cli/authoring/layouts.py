"""The built-in layouts for people: their names and descriptions, and an example for each."""

from __future__ import annotations

import re
from typing import Any

import yaml

from ametijuhend_cli.errors import DataError
from ametijuhend_cli.i18n import tr
from ametijuhend_cli.layout import Layout, needed_title_forms, printed
from ametijuhend_cli.sources.layouts import DEFAULT_LAYOUT
from ametijuhend_cli.sources.templates import TemplateSet

#: The example position's title in the genitive, for layouts that print it so.
EXAMPLE_GENITIVE = "Analüütiku"
_TOP_KEY = re.compile(r"^([a-z_]+):")


def builtin_layouts() -> dict[str, str]:
    """Return the built-in layouts by name, each with its one-line description."""
    layouts = TemplateSet.for_project(None).layouts
    return {name: layouts.get(name).layout.description or "" for name in layouts.names()}


def builtin_layout(name: str) -> Layout:
    """Return a built-in layout (KeyError if there is none of that name)."""
    layouts = TemplateSet.for_project(None).layouts
    if not layouts.known(name):
        raise KeyError(name)
    return layouts.get(name).layout


def example_for(text: str, name: str) -> str:
    """Return the example position ``text`` as a position of layout ``name`` gives it.

    What the layout does not print is left out, and a title form it prints is
    added, so that the example builds as it is.
    """
    if name == DEFAULT_LAYOUT:
        return text
    layout = builtin_layout(name)
    shown = printed(layout)
    tasks = layout.tasks
    results = tasks.form == "list" or (tasks.form == "table" and "results" in tasks.columns)
    out: list[str] = []
    dropping = False
    block = ""
    for line in text.splitlines(keepends=True):
        key = _TOP_KEY.match(line)
        if key:
            block = key.group(1)
            dropping = not shown.get(block, True)
        elif line[:1] not in (" ", "\t"):
            dropping = False
        if dropping:
            continue
        if block == "tasks" and not results:  # the tasks alone: "- task: X" is "- X"
            if line.startswith(("    results:", "      ")):
                continue
            line = line.replace("  - task: ", "  - ", 1)
        out.append(line)
        if key and key.group(1) == "title" and "title_genitive" in needed_title_forms(layout):
            said = tr("the title in the genitive: the layout prints it in the document's title")
            out.append(f"title_genitive: {EXAMPLE_GENITIVE}   # {said}\n")
    return "".join(out)


def layout_listing(templates: TemplateSet) -> list[tuple[str, str, str, bool]]:
    """Return every layout on the search path: name, description, the layout it extends
    (when it has no description), whether it is the project's.

    A project's own layout is a file of its templates/layouts/ (one named like a
    built-in layout replaces it).
    """
    layouts = templates.layouts
    builtin = templates.folders[-1]
    own = {p.stem for p in templates.layout_files() if templates.root_of(p) != builtin}
    found = []
    for name in layouts.names():
        try:
            layout = layouts.get(name).layout
            about, base = layout.description or "", layout.extends or ""
        except DataError:
            about, base = "", ""  # its problems are validate's to report; the list names it
        found.append((name, about, "" if about else base, name in own))
    return found


def layout_text(templates: TemplateSet, name: str) -> str:
    """Return layout ``name`` as the tool reads it, as YAML: every key, the chain merged.

    Raises KeyError for an unknown name and DataError for a layout with problems.
    """
    layouts = templates.layouts
    if not layouts.known(name):
        raise KeyError(name)
    layout = layouts.get(name).layout
    data = layout.model_dump(mode="json")
    # the short forms a layout file is written in: a section or a field by its key alone
    data["sections"] = [_short(s.model_dump(exclude_defaults=True), "key") for s in layout.sections]
    rows = [
        [_short(f.model_dump(exclude_defaults=True, exclude_none=True), "field") for f in row]
        for row in layout.general.fields
    ]
    data["general"]["fields"] = [row[0] if len(row) == 1 else row for row in rows]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=88)


def _short(entry: dict[str, Any], key: str) -> Any:
    """Return a section or field entry as its key alone where it sets nothing else."""
    return entry[key] if list(entry) == [key] else entry
