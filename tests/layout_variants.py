"""Variants across layouts: every source position in every built-in layout, mutated.

The mutation corpus (tests/mutations.py) varies documents to test the
importer; this corpus varies the layout to test the renderers. From each
source project (the sample project in data/ and the family projects in
tests/layouts/) it writes a project whose positions are the source positions
in every built-in layout, and, for one position per layout, the variants
agencies' documents show: each optional section left out in turn, a section
of the agency's own after each standard section, the sections numbered 1, I
or not at all. Each variant's layout extends the built-in one with the policy
``none`` (what a layout requires is tested apart, in test_layout_files.py),
and a field the layout does not print is left out of the variant (that a
position giving one is refused is tested there too).

tests/test_layout_variants.py builds every project and checks each document:
every text of the position is in the DOCX and in the Markdown, both show the
same headings, numbered as the layout says.

``python tests/layout_variants.py`` builds the corpus and prints the counts.
"""

from __future__ import annotations

import copy
import functools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

#: libyaml's emitter where PyYAML has it (the same YAML, ten times faster)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FAMILIES = HERE / "layouts"
BUILTIN = sorted(p.stem for p in (REPO / "templates" / "layouts").glob("*.yaml"))
#: The projects a new user wrote by hand, each with a layout of its own that
#: extends a built-in one in the ways real documents differ from them.
HANDWRITTEN = HERE / "layouts-handwritten"

#: Sections a position may leave out, and the fields that hold them.
OPTIONAL = {
    "purpose": ("purpose",),
    "rights": ("rights",),
    "responsibilities": ("responsibilities",),
    "work_tools": ("work_tools",),
    "requirements": ("requirements",),
    "amendment": ("amendment",),
}
SECTION_KEYS = (
    "general",
    "purpose",
    "tasks",
    "rights",
    "responsibilities",
    "work_tools",
    "requirements",
    "amendment",
)
#: Numberings of sections a variant may take: (its name, the format).
NUMBERINGS = (("arabic", "{n}"), ("roman", "{roman}"), ("none", ""))
#: Top-level fields whose values are texts a document prints as they are.
_TEXT_FIELDS = (
    "subtitle",
    "special_conditions",
    "work_area",
    "general_paragraphs",
    "purpose",
)


@dataclass(frozen=True)
class Variant:
    """One position written into a variant project: its id, data and layout."""

    pid: str
    data: dict[str, Any]
    layout: str
    #: the format of its section numbers (to check its headings against)
    numbering: str


def sources() -> Iterator[tuple[str, Path]]:
    """Yield each source project's name and data folder."""
    yield "sample", REPO / "data"
    for folder in sorted(FAMILIES.iterdir()):
        if (folder / "data").is_dir():
            yield folder.name, folder / "data"


def handwritten_layouts() -> dict[str, Path]:
    """Return the layout file of each handwritten project by the layout's name."""
    return {path.stem: path for path in sorted(HANDWRITTEN.glob("*/templates/layouts/*.yaml"))}


_OWN_TEMPLATES: list[Path] = []


def _own_templates() -> Path:
    """Return a templates folder holding every handwritten layout (made once)."""
    if not _OWN_TEMPLATES:
        import atexit
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="handwritten-layouts-")) / "templates"
        (folder / "layouts").mkdir(parents=True)
        for name, path in handwritten_layouts().items():
            shutil.copyfile(path, folder / "layouts" / f"{name}.yaml")
        atexit.register(shutil.rmtree, folder.parent, True)
        _OWN_TEMPLATES.append(folder)
    return _OWN_TEMPLATES[0]


@functools.cache
def builtin_layout(name: str) -> Any:
    """Return a layout as the tool reads it (its chain merged): built-in or handwritten."""
    from ametijuhend_cli.sources.templates import TemplateSet

    folder = None if name in BUILTIN else _own_templates()
    return TemplateSet.for_project(folder).layouts.get(name).layout


def _printed(name: str) -> dict[str, bool]:
    from ametijuhend_cli.layout import printed

    return printed(builtin_layout(name))


def _task_parts(name: str) -> set[str]:
    """Return the parts of a task the layout prints (results, subtasks, details)."""
    tasks = builtin_layout(name).tasks
    if tasks.form == "list":
        return {"results", "subtasks", "details"}
    if tasks.form == "paragraph":
        return set()
    if "results" in tasks.columns:
        return {"results", "subtasks", "details"}
    return {"subtasks", "details"}


def adapt(data: dict[str, Any], layout: str) -> dict[str, Any]:
    """Return a copy of position ``data`` as a document of ``layout`` can print it."""
    out = copy.deepcopy(data)
    out.pop("layout", None)
    for key, shown in _printed(layout).items():
        if not shown:
            out.pop(key, None)
    _keep_requirement_rows(out, layout)
    parts = _task_parts(layout)
    for item in out["tasks"]:
        for task in item["tasks"] if isinstance(item, dict) and "group" in item else [item]:
            if isinstance(task, dict):
                for part in ("results", "subtasks", "details"):
                    if part not in parts:
                        task.pop(part, None)
    if "title_genitive" not in out:
        out["title_genitive"] = out["title"] + " (omastav)"
    if "title_partitive" not in out:
        out["title_partitive"] = out["title"] + " (osastav)"
    if out.get("approval") and "annex" not in out and _printed(layout)["annex"]:
        out["annex"] = "1"
    return out


def _keep_requirement_rows(data: dict[str, Any], layout: str) -> None:
    """Leave out of ``data`` the rows of the requirements ``layout`` does not list."""
    requirements = data.get("requirements")
    if not isinstance(requirements, dict):
        return
    rows = builtin_layout(layout).requirements.rows
    for row in ("education", "experience", "languages", "computer_skills", "other"):
        if row not in rows:
            requirements.pop(row, None)
    if not requirements:
        data.pop("requirements")


def _positions(data_folder: Path) -> dict[str, dict[str, Any]]:
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((data_folder / "positions").glob("*.yaml"))
    }


def _extra_after(data: dict[str, Any], key: str) -> dict[str, Any]:
    out = copy.deepcopy(data)
    out["extra_sections"] = [
        {"heading": "LISATEAVE", "after": key, "paragraphs": [f"Lisalõik pärast osa {key}."]}
    ]
    return out


def variants(name: str, data_folder: Path, layouts: list[str] | None = None) -> Iterator[Variant]:
    """Yield the variants of one source project in ``layouts`` (default: the built-in ones)."""
    positions = _positions(data_folder)
    for i, layout in enumerate(layouts or BUILTIN):
        own = builtin_layout(layout).numbering.sections
        for pid, data in positions.items():
            yield Variant(f"{pid}--{layout}", adapt(data, layout), f"v-{layout}", own)
        # the mutations, on one position of the project per layout (in turn)
        pid = sorted(positions)[i % len(positions)]
        base = adapt(positions[pid], layout)
        for key, fields in OPTIONAL.items():
            if any(f in base for f in fields):
                dropped = {k: v for k, v in base.items() if k not in fields}
                yield Variant(f"{pid}--{layout}--drop-{key}", dropped, f"v-{layout}", own)
        for key in SECTION_KEYS:
            yield Variant(
                f"{pid}--{layout}--extra-{key}", _extra_after(base, key), f"v-{layout}", own
            )
        for numbering, form in NUMBERINGS:
            yield Variant(f"{pid}--{layout}--{numbering}", base, f"v-{layout}-{numbering}", form)


def write_project(
    name: str, data_folder: Path, root: Path, names: list[str] | None = None
) -> list[Variant]:
    """Write the variant project of one source into ``root``; return its variants.

    ``names``: the layouts (default: the built-in ones; a handwritten layout's
    file is copied into the project).
    """
    names = names or BUILTIN
    shutil.copytree(data_folder, root / "data", ignore=shutil.ignore_patterns("positions"))
    (root / "data" / "positions").mkdir()
    layouts = root / "templates" / "layouts"
    layouts.mkdir(parents=True)
    own = handwritten_layouts()
    for layout in names:
        if layout in own:
            shutil.copyfile(own[layout], layouts / f"{layout}.yaml")
    for layout in names:
        policy = "policy: {preset: none, require: []}\n"
        (layouts / f"v-{layout}.yaml").write_text(f"extends: {layout}\n{policy}", "utf-8")
        for numbering, form in NUMBERINGS:
            (layouts / f"v-{layout}-{numbering}.yaml").write_text(
                f"extends: v-{layout}\nnumbering: {{sections: '{form}'}}\n", "utf-8"
            )
    found = list(variants(name, data_folder, names))
    for variant in found:
        data = {"layout": variant.layout, **variant.data}
        (root / "data" / "positions" / f"{variant.pid}.yaml").write_text(
            yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return found


def content_texts(data: dict[str, Any], library: dict[str, dict[str, Any]]) -> list[str]:
    """Return the texts of a position that its document prints as written (refs resolved)."""
    texts = [data["title"]]
    for key in _TEXT_FIELDS:
        value = data.get(key)
        texts += value if isinstance(value, list) else [value] if value else []
    for item in data["tasks"]:
        tasks = item["tasks"] if isinstance(item, dict) and "group" in item else [item]
        if isinstance(item, dict) and "group" in item:
            texts.append(item["group"])
        for task in tasks:
            if isinstance(task, str):
                texts.append(task)
                continue
            texts.append(task["task"])
            for part in ("details", "subtasks"):
                value = task.get(part, [])
                texts += value if isinstance(value, list) else [value]
            results = task.get("results", [])
            for result in results if isinstance(results, list) else [results]:
                texts += [result] if isinstance(result, str) else [result["text"], *result["items"]]
    for key, kind in (
        ("rights", "rights"),
        ("responsibilities", "responsibilities"),
        ("amendment", "clauses"),
    ):
        for ref in data.get(key, []):
            texts.append(_resolve(ref, library.get(kind, {})))
    if data.get("work_tools"):
        texts.append(_resolve(data["work_tools"], library.get("work_tools", {})))
    requirements = data.get("requirements") or {}
    texts += [requirements[k] for k in ("education", "experience") if requirements.get(k)]
    for extra in data.get("extra_sections", []):
        texts += [extra["heading"], *extra["paragraphs"]]
    return [str(t) for t in texts]


def _resolve(ref: Any, entries: dict[str, Any]) -> str:
    if isinstance(ref, dict):
        return str(ref["text"]) if "text" in ref else str(entries[ref["ref"]])
    return str(entries[ref])


def library_of(data_folder: Path) -> dict[str, dict[str, Any]]:
    """Return the library of a source project by kind."""
    folder = data_folder / "library"
    if not folder.is_dir():
        return {}
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for path in folder.glob("*.yaml")
    }


_NUMBER = {"{n}.": r"\d+\.", "{n}": r"\d+", "{roman}": r"[IVXLC]+"}


def heading_numbers_match(headings: list[str], form: str) -> bool:
    """Return whether every heading starts with a number of ``form`` (or none for '')."""
    if not form:
        return not any(re.match(r"^(\d+\.?|[IVXLC]+)\s", h) for h in headings)
    pattern = re.compile("^" + _NUMBER[form] + r" \S")
    return all(pattern.match(h) for h in headings)


if __name__ == "__main__":  # pragma: no cover - the report for people
    import sys
    import tempfile

    sys.path.insert(0, str(HERE))
    from test_layout_variants import check_project

    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name, folder in sources():
            checked = check_project(name, folder, Path(tmp) / name)
            total += checked
            print(f"{name}: {checked} documents")
    print(f"{total} documents in {len(BUILTIN)} layouts, each checked")
