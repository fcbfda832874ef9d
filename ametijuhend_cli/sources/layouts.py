"""Layout files: found on the template search path, extended, validated, with their wording."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ametijuhend_cli.errors import DataError, Message, Problem, msg
from ametijuhend_cli.layout import Layout, required_unprinted, width_problems
from ametijuhend_cli.memo import Memo
from ametijuhend_cli.messages import close_matches, display_path, excerpt
from ametijuhend_cli.models import Model
from ametijuhend_cli.sources.files import read_project_file
from ametijuhend_cli.sources.templates import LAYOUTS_FOLDER
from ametijuhend_cli.sources.validation import validate
from ametijuhend_cli.sources.wording import Wording
from ametijuhend_cli.sources.yamlsource import SourceMap, load_bytes

if TYPE_CHECKING:
    from ametijuhend_cli.sources.templates import TemplateSet

#: The layout of a project that names none: the sample agency's template.
DEFAULT_LAYOUT = "standard"
#: How many layouts one may extend in a chain (a longer chain is a loop).
_MAX_CHAIN = 16


class _LayoutWording(Model):
    """A layout's wording merged over the project's, validated where the layout sets it."""

    wording: Wording


#: The keys of a part of a layout that decide its columns: a layout that changes
#: one of them and gives no widths does not keep the widths of the layout it extends
#: (they were made for other columns).
_SHAPE_KEYS = {"general": ("form", "columns", "fields"), "tasks": ("columns",)}


def merge_layer(base: dict[str, Any], layer: dict[str, Any]) -> dict[str, Any]:
    """Return the layout file ``layer`` merged over the layouts it extends (``base``).

    A layout's description is its own: one that gives none does not take the
    description of the layout it extends.
    """
    base = {k: v for k, v in base.items() if k != "description"}
    for part, keys in _SHAPE_KEYS.items():
        own, inherited = layer.get(part), base.get(part)
        if not (isinstance(own, dict) and isinstance(inherited, dict)) or "widths" in own:
            continue
        if any(key in own and own[key] != inherited.get(key) for key in keys):
            base[part] = {k: v for k, v in inherited.items() if k != "widths"}
    return merge(base, layer)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return ``override`` merged over ``base``: mappings key by key, anything else replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def _giver(chain: list[tuple[str, _File]], loc: tuple[str, ...]) -> _File:
    """Return the file of the chain that gives the key ``loc`` last (else the layout's own)."""
    for _, file in reversed(chain):
        node: Any = file.raw
        for key in loc:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None:
            return file
    return chain[-1][1]


@dataclass(frozen=True)
class ResolvedLayout:
    """A layout with its chain merged, and the wording its documents use."""

    name: str
    layout: Layout
    wording: Wording
    #: where to change it, as a hint says: the project's layout file, or for a
    #: built-in layout a layout of the project's own that extends it
    source: str | Message


@dataclass(frozen=True)
class _File:
    raw: dict[str, Any]
    smap: SourceMap
    #: what it was read from: its name as shown and its bytes
    key: tuple[str, bytes]


def _parse(data: bytes, display: str) -> _File:
    """Return a layout file's data and source map; raise DataError."""
    raw, smap = load_bytes(data, display)
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise DataError([smap.problem((), msg("expected a mapping of layout keys"))])
    return _File(raw, smap, (display, data))


#: Layout files read and layouts resolved in this process, by what they are made
#: of (see memo.py): a first day starts its templates again for every document.
_FILES: Memo[tuple[str, bytes], _File] = Memo(256)
_RESOLVED: Memo[tuple[Any, ...], ResolvedLayout] = Memo(256)


class Layouts:
    """The layouts a project can use: its own (searched first) and the built-in ones."""

    def __init__(self, templates: TemplateSet, default: str = DEFAULT_LAYOUT):
        self.templates = templates
        self.default_name = default
        self._resolved: dict[str, ResolvedLayout] = {}
        self._problems: dict[str, list[Problem]] = {}
        self._files: dict[str, _File | None] = {}

    @property
    def wording(self) -> Wording:
        """Return the project's wording (what is shared by every layout: names, CSV headings)."""
        return self.templates.wording

    def names(self) -> list[str]:
        """Return the name of every layout on the search path, sorted."""
        return sorted({path.stem for path in self.templates.layout_files()})

    def path(self, name: str) -> Path | None:
        """Return the file of layout ``name`` (the project's before the built-in one)."""
        found = self.templates.files(f"{LAYOUTS_FOLDER}/{name}.yaml")
        return found[0] if found else None

    @property
    def default(self) -> ResolvedLayout:
        """Return the project's layout (ametijuhend.yaml's `layout:`); DataError if broken."""
        return self.get(self.default_name)

    def get(self, name: str | None) -> ResolvedLayout:
        """Return layout ``name`` (None: the project's), resolved; raise DataError if broken."""
        name = name or self.default_name
        if name not in self._resolved and name not in self._problems:
            try:
                self._resolved[name] = self._resolve(name)
            except DataError as exc:
                self._problems[name] = exc.problems
        if name in self._problems:
            raise DataError(self._problems[name])
        return self._resolved[name]

    def known(self, name: str) -> bool:
        """Return whether a layout file called ``name`` exists."""
        return self.path(name) is not None

    def unknown_hint(self, name: str) -> Message:
        """Return the hint for an unknown layout name: the closest or all known names."""
        names = self.names()
        matches = close_matches(name, names)
        if matches:
            return msg("closest known layouts: {names}", names=", ".join(matches))
        return msg("known layouts: {names}", names=", ".join(names))

    def problems(self) -> list[Problem]:
        """Return the problems of the project's layout and of every layout file of the project."""
        problems: list[Problem] = []
        names = [self.default_name]
        own = (
            self.templates.folders[0] / LAYOUTS_FOLDER if len(self.templates.folders) > 1 else None
        )
        if own is not None and own.is_dir():
            names += sorted(p.stem for p in own.iterdir() if p.suffix == ".yaml")
        for name in dict.fromkeys(names):
            try:
                self.get(name)
            except DataError as exc:
                problems += [p for p in exc.problems if p not in problems]
        return problems

    def _read(self, name: str) -> _File | None:
        """Return a layout file's data and source map (None: there is no such layout)."""
        if name not in self._files:
            path = self.path(name)
            if path is None:
                self._files[name] = None
            else:
                display = display_path(path)
                data = read_project_file(path, self.templates.root_of(path))
                self._files[name] = _FILES.get((display, data), lambda: _parse(data, display))
        return self._files[name]

    def _chain(self, name: str) -> list[tuple[str, _File]]:
        """Return the files of ``name`` and of the layouts it extends, the base first."""
        chain: list[tuple[str, _File]] = []
        current: str | None = name
        child: _File | None = None
        while current is not None:
            if any(current == seen for seen, _ in chain) or len(chain) >= _MAX_CHAIN:
                assert child is not None
                raise DataError(
                    [
                        child.smap.problem(
                            ("extends",),
                            msg(
                                "the layouts extend each other in a circle: {chain}",
                                chain=" → ".join([*(n for n, _ in chain), current]),
                            ),
                            hint=msg("one of them must not extend another"),
                        )
                    ]
                )
            file = self._read(current)
            if file is None:
                if child is None:
                    raise DataError(
                        [
                            Problem(
                                path="ametijuhend.yaml",
                                field="layout",
                                message=msg("unknown layout {current}", current=excerpt(current)),
                                hint=self.unknown_hint(current),
                            )
                        ]
                    )
                raise DataError(
                    [
                        child.smap.problem(
                            ("extends",),
                            msg("unknown layout {current}", current=excerpt(current)),
                            hint=self.unknown_hint(current),
                        )
                    ]
                )
            chain.append((current, file))
            child = file
            extends = file.raw.get("extends")
            current = extends if isinstance(extends, str) else None
        return list(reversed(chain))

    def _resolve(self, name: str) -> ResolvedLayout:
        chain = self._chain(name)
        builtin = self.templates.root_of(self.path(name) or Path()) == self.templates.folders[-1]
        wording = self.templates.wording
        key = (name, builtin, tuple((n, f.key) for n, f in chain), wording.model_dump_json())
        return _RESOLVED.get(key, lambda: _resolved(name, chain, builtin, wording))


def _resolved(
    name: str, chain: list[tuple[str, _File]], builtin: bool, project_wording: Wording
) -> ResolvedLayout:
    """Return layout ``name`` made of the files of ``chain`` (the base first); raise DataError."""
    problems: list[Problem] = []
    merged: dict[str, Any] = {}
    for _, file in chain:  # each file on its own first: its problems are located in it
        _, found = validate(Layout, file.raw, file.smap)
        problems += found
        merged = merge_layer(merged, file.raw)
    if problems:
        raise DataError(problems)
    last = chain[-1][1]
    layout, found = validate(Layout, merged, last.smap)
    if layout is None:
        raise DataError(found)
    misfits = [
        _giver(chain, loc).smap.problem(loc, message) for loc, message in width_problems(layout)
    ]
    if misfits:
        raise DataError(misfits)
    contradictions = required_unprinted(layout)
    if contradictions:
        required_here = set(layout.policy.require)
        hint = (
            msg("give each a place in the layout, or take it out of policy.require")
            if required_here.issuperset(contradictions)
            else msg("give each a place in the layout, or list it under policy.omit")
        )
        raise DataError(
            [
                last.smap.problem(
                    ("policy",),
                    msg(
                        "the policy requires what the layout does not print: {names}",
                        names=", ".join(contradictions),
                    ),
                    hint=hint,
                )
            ]
        )
    wording_data = project_wording.model_dump()
    for _, file in chain:
        own = file.raw.get("wording")
        if isinstance(own, dict):
            wording_data = merge(wording_data, own)
    checked, found = validate(_LayoutWording, {"wording": wording_data}, last.smap)
    if checked is None:
        raise DataError(found)
    where = (
        msg(
            "a layout of your own (templates/{folder}/NAME.yaml with 'extends: {name}')",
            folder=LAYOUTS_FOLDER,
            name=name,
        )
        if builtin
        else last.smap.path
    )
    return ResolvedLayout(name, layout, checked.wording, where)
