"""A layout's policy on a position file: which fields it must give, found missing as written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ametijuhend_cli.errors import DataError, Message, Problem, joined, msg, verbatim
from ametijuhend_cli.layout import needed_title_forms
from ametijuhend_cli.messages import excerpt
from ametijuhend_cli.sources.layouts import Layouts
from ametijuhend_cli.sources.yamlsource import Loc, SourceMap


def given(value: Any) -> bool:
    """Return whether a field is given: present and not empty."""
    return value is not None and value != [] and value != {} and value != ""


@dataclass(frozen=True)
class Reason:
    """Why a layout requires a field: its policy requires it, or it prints the title so."""

    layout: str
    #: the policy's preset, where the policy requires the field
    policy: str | None = None
    #: the layout's text that prints the title in the form, where it does
    shown: str = ""

    def said(self, what: Message) -> Message:
        """Return the reason for ``what`` (the field, or "it")."""
        if self.policy is not None:
            return msg(
                "the layout '{name}' requires {what} (policy '{policy}')",
                name=self.layout,
                what=what,
                policy=self.policy,
            )
        return msg(
            "the layout '{name}' prints the title in that form ({shown})",
            name=self.layout,
            shown=self.shown,
        )


@dataclass
class Missing:
    """The required fields a position file lacks, by the mapping they belong in."""

    by_parent: dict[Loc, list[str]] = field(default_factory=dict)
    #: why each missing field is required (a field the policy requires, a title form)
    reasons: dict[str, Reason] = field(default_factory=dict)
    #: problems of the layout choice itself (an unknown layout name), and of
    #: required fields given empty (``purpose:`` with nothing after it)
    problems: list[Problem] = field(default_factory=list)

    def add(self, parent: Loc, name: str, reason: Reason) -> None:
        names = self.by_parent.setdefault(parent, [])
        if name not in names:
            names.append(name)
        self.reasons.setdefault(name, reason)

    def because(self, names: list[str]) -> Message | None:
        """Return why ``names`` are required (for the hint), or "" for the schema's own.

        A reason is a template whose ``{what}`` is "it" for one field, else the
        fields it stands for.
        """
        grouped: dict[Reason, list[str]] = {}
        for name in names:
            if name in self.reasons:
                grouped.setdefault(self.reasons[name], []).append(name)
        if not grouped:
            return None
        return joined(
            [
                reason.said(msg("it") if len(names) == 1 else verbatim(", ".join(fields)))
                for reason, fields in grouped.items()
            ],
            "; ",
        )


#: What a required field holds, for the message about one given empty.
_EXPECTED = {
    "manager": msg("text or 'position: …'"),
    "appointed_by": msg("text or 'position: …'"),
    "results": msg("text or a list"),
    "computer_skills": msg("a library id or 'text: …'"),
    "work_tools": msg("a library id or 'text: …'"),
    "signatures": msg("a mapping (key: value lines)"),
    "approval": msg("a mapping (key: value lines)"),
}
#: The fields that hold a text (the others a text or a list, unless _EXPECTED says).
_TEXTS = (
    "purpose",
    "education",
    "experience",
    "special_conditions",
    "work_area",
    "position_number",
    "title_genitive",
)


def _require(
    missing: Missing, smap: SourceMap, parent: Loc, data: Any, name: str, why: Reason
) -> None:
    """Record that ``name`` of the mapping ``data`` at ``parent`` is required, if not given.

    A field left out is reported with the schema's missing fields; one given
    empty is reported where it stands.
    """
    if not isinstance(data, dict):
        return  # not a mapping: the schema says so
    if name not in data:
        missing.add(parent, name, why)
        return
    value = data[name]
    if given(value):
        return
    hint = why.said(msg("it"))
    if isinstance(value, list):
        message = msg(
            "expected at least {limit} item, got {found}",
            limit=1,
            found=msg("a list of {count} items", count=0),
        )
    else:
        text = name in _TEXTS
        message = msg(
            "expected {expected}, got {found}",
            expected=msg("text") if text else _EXPECTED.get(name, msg("text or a list")),
            found=msg("nothing (an empty value)"),
        )
        if text:
            hint = msg("write the text after the ':'; {why}", why=hint)
    missing.problems.append(smap.problem(parent + (name,), message, hint=hint))


def _tasks(raw: dict[str, Any]) -> list[tuple[Loc, Any]]:
    """Return every task of ``raw`` with its place (those of groups too)."""
    tasks = raw.get("tasks")
    found: list[tuple[Loc, Any]] = []
    for i, item in enumerate(tasks if isinstance(tasks, list) else []):
        if isinstance(item, dict) and "group" in item:
            inner = item.get("tasks")
            for j, task in enumerate(inner if isinstance(inner, list) else []):
                found.append((("tasks", i, "tasks", j), task))
        else:
            found.append((("tasks", i), item))
    return found


def missing_fields(raw: dict[str, Any], layouts: Layouts, smap: SourceMap) -> Missing:
    """Return the fields the position's layout requires and ``raw`` lacks."""
    missing = Missing()
    name = raw.get("layout")
    name = name if isinstance(name, str) else None
    if name is not None and not layouts.known(name):
        missing.problems.append(
            smap.problem(
                ("layout",),
                msg("unknown layout {name}", name=excerpt(name)),
                hint=layouts.unknown_hint(name),
            )
        )
        return missing
    try:
        resolved = layouts.get(name)
    except DataError:
        return missing  # the layout's own problems are reported with the templates
    layout = resolved.layout
    policy = layout.policy
    why = Reason(resolved.name, policy=policy.preset)
    for path in policy.required:
        if path == "tasks.results":
            for loc, task in _tasks(raw):
                if isinstance(task, str):  # a task given as a text alone
                    missing.add(loc, "results", why)
                else:
                    _require(missing, smap, loc, task, "results", why)
        elif path.startswith("requirements."):
            if "requirements" not in raw:
                missing.add((), "requirements", why)
            else:
                _require(missing, smap, ("requirements",), raw["requirements"], path[13:], why)
        else:
            _require(missing, smap, (), raw, path, why)
    for form, template in needed_title_forms(layout).items():
        _require(missing, smap, (), raw, form, Reason(resolved.name, shown=excerpt(template)))
    return missing


class PolicyCheck:
    """The check of a position file's raw data against its layout's policy (picklable)."""

    def __init__(self, layouts: Layouts):
        self.layouts = layouts

    def __call__(self, raw: dict[str, Any], smap: SourceMap) -> Missing:
        """Return the fields the position's layout requires and ``raw`` lacks."""
        return missing_fields(raw, self.layouts, smap)
