"""Learn a new project's layout from its documents and write it as the project's layout file."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ametijuhend_cli.authoring.yamlwriter import Flow, dump
from ametijuhend_cli.errors import DataError, Message, joined, msg, nmsg, verbatim
from ametijuhend_cli.i18n import tr
from ametijuhend_cli.importer.convert import Converted
from ametijuhend_cli.importer.infer import Inferred, Vote, infer, layout_values, observe, same
from ametijuhend_cli.importer.references import slugify
from ametijuhend_cli.layout import POLICY_PRESETS, Policy
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.layouts import Layouts
from ametijuhend_cli.sources.paths import PROJECT_FILE, ProjectPaths
from ametijuhend_cli.sources.templates import LAYOUTS_FOLDER, TemplateSet
from ametijuhend_cli.writing import cannot_write, write_atomic

#: The line of ametijuhend.yaml that names the layout.
_LAYOUT_LINE = re.compile(r"^layout:[^\n#]*", re.M)
#: How many documents a report line names before it says "and N more".
_NAMED = 3
#: A document agrees with another built-in layout in this many more features than with the
#: project's: it is a document of that layout (a position may name its own).
_ANOTHER = 4
#: Policies from the strictest to none: the first every document satisfies is the project's.
_POLICIES = ("standard", "avalik-teenistus", "tooleping", "none")


@dataclass
class Learnt:
    """The layout learnt from the documents, and what the report says about it."""

    name: str
    base: str
    documents: int
    inferred: Inferred | None = None
    path: Path | None = None
    lines: list[Message] = field(default_factory=list)
    #: documents of another layout: the built-in layout each of them reads as
    layout_of: dict[Path, str] = field(default_factory=dict)


def _given(data: dict[str, Any], path: str) -> bool:
    """Return whether position ``data`` gives what a policy path names."""
    if path == "tasks.results":
        tasks = [
            t
            for item in data.get("tasks", [])
            for t in (item["tasks"] if isinstance(item, dict) and "group" in item else [item])
        ]
        return all(isinstance(t, dict) and t.get("results") for t in tasks)
    if path.startswith("requirements."):
        return bool(data.get("requirements", {}).get(path.split(".", 1)[1]))
    return bool(data.get(path))


def _policy(read: list[Converted], base: Policy) -> tuple[dict[str, Any] | None, list[str]]:
    """Return the strictest policy every document satisfies (None: the base layout's), and
    what the documents lack of the base layout's."""
    lacking = sorted({p for p in base.required for c in read if not _given(c.data, p)})
    if not lacking:
        return None, []
    for preset in _POLICIES:
        if all(_given(c.data, p) for p in POLICY_PRESETS[preset] for c in read):
            return {"preset": preset, "require": Flow([])}, lacking
    return {"preset": "none", "require": Flow([])}, lacking


def _units(converted: Converted, separator: str) -> list[str]:
    """Return the names of the units a document names: in its general part, or in its
    banner under the agency's name."""
    reading = converted.reading
    text = reading.general.values.get("unit", "") if reading is not None else ""
    if not text:
        return converted.banner_units
    return [part.strip() for part in text.split(separator) if part.strip()]


def _shown(value: Any) -> str:
    """Return a feature's value as the report shows it (a general part's field by its label)."""
    if isinstance(value, tuple) and len(value) == 4 and isinstance(value[3], bool):
        key, label, text, _ = value
        return repr(label or text or key)
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    return repr(value)


def _names(names: list[str]) -> Message:
    shown = ", ".join(names[:_NAMED])
    if len(names) <= _NAMED:
        return verbatim(shown)
    return nmsg("{names} and {n} more", "{names} and {n} more", len(names) - _NAMED, names=shown)


def _vote_line(path: str, vote: Vote) -> Message:
    """Return the report line of one feature: the majority, and the documents that differ."""
    line = msg(
        "    {path}: {value} ({count} of {total})",
        path=path,
        value=_shown(vote.value),
        count=vote.count,
        total=vote.total,
    )
    others = [
        msg("{value} in {names}", value=value or msg("another order"), names=_names(names))
        for value, names in vote.others.items()
        if names
    ]
    if others:
        return msg("{line}; otherwise: {others}", line=line, others=joined(others, "; "))
    return line


def _features(layouts: Layouts, employments: list[str]) -> dict[str, dict[str, Any]]:
    """Return the features of every layout the project knows, for the vocabularies used (the
    last one's where they differ)."""
    builtin: dict[str, dict[str, Any]] = {}
    for name in layouts.names():
        resolved = layouts.get(name)
        values: dict[str, Any] = {}
        for employment in employments or ["ametnik"]:
            values.update(layout_values(resolved, employment))
        builtin[name] = values
    return builtin


def _apart(
    observations: dict[str, dict[str, Any]],
    builtin: dict[str, dict[str, Any]],
    inferred: Inferred,
) -> dict[str, tuple[str, int, int, int]]:
    """Return the documents that read clearly better as another built-in layout than as the
    one learnt: that layout, its features agreeing, of how many, and the learnt one's."""
    learnt = {**builtin[inferred.base], **{p: v.value for p, v in inferred.changes.items()}}
    apart = {}
    for name, observed in observations.items():
        own = infer({name: observed}, builtin, prefer=inferred.base)
        fits = sum(same(p, learnt.get(p), v) for p, v in observed.items())
        if own.base != inferred.base and own.agreeing - fits >= _ANOTHER:
            apart[name] = (own.base, own.agreeing, own.features, fits)
    return apart


def learn(paths: ProjectPaths, read: dict[Path, Converted], agency: str) -> Learnt:
    """Return the layout of the documents ``read``, written into the project at ``paths``.

    Each document shows some features of its layout (how its sections are
    numbered, its general part's form and labels …); the majority decides each,
    the closest built-in layout is the base, and what differs from it is written
    to templates/layouts/<agency>.yaml, which ametijuhend.yaml then names. Where
    the documents agree with a built-in layout in everything, that one is used.
    A document that reads clearly better as another built-in layout is set apart:
    its position names that layout, and it has no say in the project's.
    """
    templates = TemplateSet.of(paths)
    layouts = templates.layouts
    separator = templates.wording.unit_separator.strip()
    documents = {display_path(p): c for p, c in read.items() if c.reading is not None}
    observations = {
        name: observe(c.reading, c.data["employment"], agency, _units(c, separator))
        for name, c in documents.items()
        if c.reading is not None
    }
    # the features of the vocabulary of most documents win where the two differ (labels)
    counts = Counter(c.data["employment"] for c in documents.values())
    builtin = _features(layouts, [e for e, _ in reversed(counts.most_common())])
    inferred = infer(observations, builtin, prefer=layouts.default_name)
    apart = _apart(observations, builtin, inferred)
    if apart and len(apart) < len(observations):
        kept = {n: o for n, o in observations.items() if n not in apart}
        inferred = infer(kept, builtin, prefer=layouts.default_name)
        apart = {n: a for n, a in _apart(observations, builtin, inferred).items() if n in apart}
        documents = {n: c for n, c in documents.items() if n not in apart}
    else:
        apart = {}
    learnt = Learnt(inferred.base, inferred.base, inferred.documents, inferred)
    learnt.lines.append(
        msg(
            "learnt the layout of the documents from {documents}: the built-in layout '{base}' "
            "fits {agreeing} of {features}",
            documents=nmsg("{n} document", "{n} documents", inferred.documents),
            base=inferred.base,
            agreeing=inferred.agreeing,
            features=nmsg("{n} feature", "{n} features", inferred.features),
        )
    )
    data = inferred.layout_data()
    policy, lacking = _policy(list(documents.values()), layouts.get(inferred.base).layout.policy)
    if policy is not None:
        data["policy"] = policy
    if len(data) > 1:
        learnt.name = _own_name(agency, layouts.names())
        learnt.path = _write_layout(paths, learnt.name, data, learnt, lacking)
        if learnt.path is None:
            learnt.name = inferred.base
    for path, vote in inferred.votes.items():
        if path not in inferred.changes and any(vote.others.values()):
            learnt.lines.append(_vote_line(path, vote))
    by_name = {display_path(p): p for p in read}
    for name, (layout, agreeing, features, fits) in apart.items():
        learnt.layout_of[by_name[name]] = layout
        learnt.lines.append(
            msg(
                "  {name} reads as a document of the layout '{layout}' ({agreeing} of "
                "{features} features; {fits} of the project's): its position names it",
                name=name,
                layout=layout,
                agreeing=agreeing,
                features=features,
                fits=fits,
            )
        )
    _name_layout(paths, learnt.name)
    return learnt


def _own_name(agency: str, taken: list[str]) -> str:
    name = slugify(agency, 40) or "oma"
    return name if name not in taken else f"{name}-oma"


def _write_layout(
    paths: ProjectPaths, name: str, data: dict[str, Any], learnt: Learnt, lacking: list[str]
) -> Path | None:
    """Write the learnt layout file; return it (None: it is not valid, the base is used)."""
    assert learnt.inferred is not None
    folder = paths.templates / LAYOUTS_FOLDER
    path = folder / f"{name}.yaml"
    comments = [
        str(
            nmsg(
                "The layout learnt from {n} document by `ametijuhend init --from-docx`:",
                "The layout learnt from {n} documents by `ametijuhend init --from-docx`:",
                learnt.documents,
            )
        ),
        tr(
            "the built-in layout '{base}' and what the documents do otherwise.",
            base=learnt.inferred.base,
        ),
        tr("Change it as you like; `ametijuhend layout NAME` prints a built-in one."),
    ]
    text = dump(data, comments)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        TemplateSet.of(paths).layouts.get(name)
    except DataError as exc:
        path.unlink()
        learnt.lines.append(
            msg(
                "  the layout learnt is not valid ({reason}): the project uses the built-in "
                "layout '{base}'",
                reason=exc.problems[0].message,
                base=learnt.inferred.base,
            )
        )
        return None
    learnt.lines.append(
        msg("  wrote {path}: what the documents do otherwise:", path=display_path(path))
    )
    for path_, vote in learnt.inferred.changes.items():
        learnt.lines.append(_vote_line(path_, vote))
    preset = data.get("policy", {}).get("preset")
    if preset is not None:
        learnt.lines.append(
            msg(
                "    policy: '{preset}' (what every document gives; some give no {names})",
                preset=preset,
                names=", ".join(lacking),
            )
        )
    return path


def _name_layout(paths: ProjectPaths, name: str) -> None:
    """Make ``name`` the project's layout in ametijuhend.yaml."""
    project_file = paths.root / PROJECT_FILE
    text = project_file.read_text(encoding="utf-8")
    if _LAYOUT_LINE.search(text):
        text = _LAYOUT_LINE.sub(f"layout: {name}  ", text, count=1)
    else:
        text += f"layout: {name}\n"
    write_atomic(project_file, text.encode("utf-8"))


def fitting_layout(layouts: Layouts, converted: Converted) -> tuple[str, int, int]:
    """Return the layout one document reads as, and how many of its features agree."""
    assert converted.reading is not None
    employment = converted.data["employment"]
    observed = observe(converted.reading, employment, "", [])
    values = {name: layout_values(layouts.get(name), employment) for name in layouts.names()}
    inferred = infer({"document": observed}, values, prefer=layouts.default_name)
    return inferred.base, inferred.agreeing, inferred.features
