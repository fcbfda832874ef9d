"""The organization overview: positions per unit, library use, overdue reviews, a chart."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.errors import Message, OutputError, msg, verbatim
from ametijuhend_cli.messages import os_reason
from ametijuhend_cli.models import CompetencyRef, ItemRef, PositionRef
from ametijuhend_cli.organization.collation import estonian_key
from ametijuhend_cli.organization.consistency import referenced
from ametijuhend_cli.organization.hygiene import library_usage
from ametijuhend_cli.organization.review import ReviewStatus, overdue, review_status
from ametijuhend_cli.organization.spreadsheet import write_csv
from ametijuhend_cli.organization.summary import position_refs, summaries
from ametijuhend_cli.sources.project import Project
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.sources.units import UnitInfo
from ametijuhend_cli.sources.wording import Wording
from ametijuhend_cli.writing import write_file

REPORT_TEMPLATE = "report.md.j2"
MARKDOWN_FILE = "report.md"
CSV_FILE = "report.csv"
SVG_FILE = "orgchart.svg"
#: The library kinds the matrix shows, in its order.
MATRIX_KINDS = ("core_competencies", "competencies", "rights")


class Verbatim:
    """Text the Markdown template prints as it is (a diagram), not escaped."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class PositionEntry:
    """A position as the report names it."""

    id: str
    title: str
    display: str
    unit: str
    manager: str


@dataclass
class UnitEntry:
    """A unit with its positions; ``total`` counts those of its sub-units too."""

    id: str
    name: str
    depth: int
    positions: list[PositionEntry]
    total: int = 0


@dataclass(frozen=True)
class MatrixRow:
    """A library entry (or the positions' own texts) and a mark per position."""

    id: str
    name: str
    marks: list[str]


@dataclass(frozen=True)
class OverdueEntry:
    """A position overdue for review."""

    position: PositionEntry
    last: str
    due: str


@dataclass
class Chart:
    """The organization chart: unit boxes, position nodes, manager and substitute edges."""

    #: node id → (label, True when the node is someone outside the data)
    nodes: dict[str, tuple[str, bool]] = field(default_factory=dict)
    #: unit id → node ids placed directly in that unit
    placed: dict[str, list[str]] = field(default_factory=dict)
    managers: list[tuple[str, str]] = field(default_factory=list)
    #: (substitute, substituted, both ways)
    substitutes: list[tuple[str, str, bool]] = field(default_factory=list)


@dataclass
class Report:
    """Everything report.md.j2 and report.csv show."""

    agency: str
    period: int
    positions: list[PositionEntry]
    units: list[UnitEntry]
    matrix: dict[str, list[MatrixRow]]
    overdue: list[OverdueEntry]
    chart: Chart
    unit_tree: dict[str, UnitInfo]
    mermaid: Verbatim = field(default_factory=lambda: Verbatim(""))
    statuses: dict[str, ReviewStatus] = field(default_factory=dict)


def _position_entries(project: Project, names: PositionNames) -> list[PositionEntry]:
    units = project.units
    entries = [
        PositionEntry(
            pid,
            p.model.title,
            names.display(PositionRef(position=pid)),
            units[p.model.unit].name if p.model.unit in units else p.model.unit,
            names.display(p.model.manager) if p.model.manager is not None else "",
        )
        for pid, p in project.positions.items()
    ]
    return sorted(entries, key=lambda e: (estonian_key(e.title), estonian_key(e.unit), e.id))


def _units(project: Project, positions: list[PositionEntry]) -> list[UnitEntry]:
    units = project.units
    by_unit: dict[str, list[PositionEntry]] = {}
    for entry in positions:
        by_unit.setdefault(project.positions[entry.id].model.unit, []).append(entry)
    out = [UnitEntry(u.id, u.name, u.depth, by_unit.get(u.id, [])) for u in units.values()]
    totals = {u.id: len(u.positions) for u in out}
    for info in reversed(list(units.values())):  # children come after their parent
        if info.parent is not None:
            totals[info.parent] += totals[info.id]
    for unit in out:
        unit.total = totals[unit.id]
    return out


def _matrix(project: Project, positions: list[PositionEntry]) -> dict[str, list[MatrixRow]]:
    columns = [p.id for p in positions]
    used: dict[str, dict[str, set[str]]] = {kind: {} for kind in MATRIX_KINDS}
    own: dict[str, dict[str, int]] = {kind: {} for kind in MATRIX_KINDS}
    for pid in columns:
        model = project.positions[pid].model
        req = model.requirements
        groups: dict[str, list[CompetencyRef] | list[ItemRef]] = {
            "core_competencies": req.core_competencies,
            "competencies": req.competencies,
            "rights": model.rights,
        }
        for kind, items in groups.items():
            for item in items:
                if item.ref is None:
                    own[kind][pid] = own[kind].get(pid, 0) + 1
                else:
                    used[kind].setdefault(item.ref, set()).add(pid)
    library = project.library
    names = {
        "rights": dict(library.texts.get("rights", {})),
        "competencies": {cid: comp.name for cid, comp in library.competencies.items()},
    }
    matrix: dict[str, list[MatrixRow]] = {}
    for kind in MATRIX_KINDS:
        entries = names["rights" if kind == "rights" else "competencies"]
        # in the library's order, which is the order its keepers chose
        rows = [
            MatrixRow(eid, name, ["x" if pid in used[kind][eid] else "" for pid in columns])
            for eid, name in entries.items()
            if eid in used[kind]
        ]
        if own[kind]:
            rows.append(MatrixRow("", "", [str(own[kind].get(pid, "")) for pid in columns]))
        matrix[kind] = rows
    return matrix


def _chart(project: Project, positions: list[PositionEntry]) -> Chart:
    chart = Chart()
    node_of = {entry.id: f"p{i}" for i, entry in enumerate(positions, 1)}
    outside: dict[tuple[str, str], str] = {}
    for entry in positions:
        position = project.positions[entry.id]
        unit = position.model.unit
        chart.nodes[node_of[entry.id]] = (entry.title, False)
        chart.placed.setdefault(unit, []).append(node_of[entry.id])
        manager = position.model.manager
        if manager is None:  # the document names no manager
            continue
        if isinstance(manager, PositionRef):
            if manager.position in node_of and manager.position != entry.id:
                chart.managers.append((node_of[manager.position], node_of[entry.id]))
            continue
        # someone outside the data: one node per name and unit ("Tiimijuht" of
        # one team is not the "Tiimijuht" of another)
        key = (manager.casefold(), unit)
        if key not in outside:
            outside[key] = f"x{len(outside) + 1}"
            chart.nodes[outside[key]] = (manager, True)
            chart.placed.setdefault(unit, []).append(outside[key])
        chart.managers.append((outside[key], node_of[entry.id]))
    pairs: set[tuple[str, str]] = set()
    for entry in positions:
        position = project.positions[entry.id]
        for _, other in referenced(position, "substitutes"):
            pairs.add((entry.id, other))
        for _, other in referenced(position, "substituted_by"):
            pairs.add((other, entry.id))
    order = {entry.id: i for i, entry in enumerate(positions)}
    for a, b in sorted(
        (p for p in pairs if p[0] in node_of and p[1] in node_of and p[0] != p[1]),
        key=lambda p: (order[p[0]], order[p[1]]),
    ):
        both = (b, a) in pairs
        if both and order[b] < order[a]:
            continue  # drawn once, from the pair's first position
        chart.substitutes.append((node_of[a], node_of[b], both))
    return chart


def _mermaid_label(text: str) -> str:
    for char, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, code)
    return f'"{text}"'


def mermaid(report: Report) -> str:
    """Return the organization chart as a Mermaid flowchart."""
    chart = report.chart
    lines = ["flowchart TD"]
    unit_ids = {uid: f"u{i}" for i, uid in enumerate(report.unit_tree, 1)}

    visible = _shown_units(report)

    def unit(uid: str, indent: str) -> None:
        info = report.unit_tree[uid]
        lines.append(f"{indent}subgraph {unit_ids[uid]}[{_mermaid_label(info.name)}]")
        for node in chart.placed.get(uid, []):
            label, _ = chart.nodes[node]
            lines.append(f"{indent}  {node}[{_mermaid_label(label)}]")
        for child in info.children:
            if child in visible:
                unit(child, indent + "  ")
        lines.append(f"{indent}end")

    for uid, info in report.unit_tree.items():
        if info.parent is None and uid in visible:
            unit(uid, "  ")
    for a, b in chart.managers:
        lines.append(f"  {a} --> {b}")
    for a, b, both in chart.substitutes:
        lines.append(f"  {a} {'<-.->' if both else '-.->'} {b}")
    outside = [node for node, (_, out) in chart.nodes.items() if out]
    if outside:
        lines.append("  classDef outside stroke-dasharray: 4 4")
        lines.append(f"  class {','.join(outside)} outside")
    return "\n".join(lines)


def _shown_units(report: Report) -> set[str]:
    """Return the units the chart draws: those with a position in it or a sub-unit drawn."""
    shown: set[str] = set()
    # the tree is in depth-first order, so every sub-unit is decided before its parent
    for uid in reversed(list(report.unit_tree)):
        info = report.unit_tree[uid]
        if report.chart.placed.get(uid) or any(child in shown for child in info.children):
            shown.add(uid)
    return shown


def _dot_label(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def dot(report: Report) -> str:
    """Return the organization chart in Graphviz's DOT language."""
    chart = report.chart
    lines = [
        "digraph organization {",
        "  graph [rankdir=TB, fontname=Helvetica, fontsize=11];",
        "  node [shape=box, style=rounded, fontname=Helvetica, fontsize=10];",
        "  edge [arrowsize=0.7];",
    ]

    visible = _shown_units(report)

    def unit(uid: str, indent: str) -> None:
        info = report.unit_tree[uid]
        lines.append(f'{indent}subgraph "cluster_{uid}" {{')
        lines.append(f"{indent}  label={_dot_label(info.name)};")
        for node in chart.placed.get(uid, []):
            label, out = chart.nodes[node]
            style = ', style="rounded,dashed"' if out else ""
            lines.append(f"{indent}  {node} [label={_dot_label(label)}{style}];")
        for child in info.children:
            if child in visible:
                unit(child, indent + "  ")
        lines.append(f"{indent}}}")

    for uid, info in report.unit_tree.items():
        if info.parent is None and uid in visible:
            unit(uid, "  ")
    for a, b in chart.managers:
        lines.append(f"  {a} -> {b};")
    for a, b, both in chart.substitutes:
        lines.append(
            f"  {a} -> {b} [style=dashed, constraint=false{', dir=both' if both else ''}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def make_report(project: Project, wording: Wording, today: dt.date) -> Report:
    """Return the overview of ``project``; ``today`` decides only which reviews are overdue."""
    names = PositionNames(project, wording.position_with_unit)
    positions = _position_entries(project, names)
    by_id = {p.id: p for p in positions}
    months = project.paths.review_period_months
    fmt = wording.date_format
    late = [
        OverdueEntry(
            by_id[s.id],
            s.last.strftime(fmt) if s.last else "",
            s.due.strftime(fmt) if s.due else "",
        )
        for s in overdue(project, today, months)
    ]
    report = Report(
        agency=project.organization.agency if project.organization else "",
        period=months,
        positions=positions,
        units=_units(project, positions),
        matrix=_matrix(project, positions),
        overdue=late,
        chart=_chart(project, positions),
        unit_tree=project.units,
        statuses={pid: review_status(p, months) for pid, p in project.positions.items()},
    )
    report.mermaid = Verbatim(mermaid(report))
    return report


def render_markdown(report: Report, templates: TemplateSet, wording: Wording) -> bytes:
    """Return report.md rendered through the template report.md.j2."""
    from ametijuhend_cli.render.markdown import render_template
    from ametijuhend_cli.render.sandbox import REPORT_POSITIONS

    # the report's template runs over the whole project: its bounds grow with it
    scale = max(1.0, len(report.positions) / REPORT_POSITIONS)
    text = render_template(
        templates,
        REPORT_TEMPLATE,
        msg("while writing the report"),
        scale=scale,
        r=report,
        w=wording,
    )
    return text.encode("utf-8")


_CSV_COLUMNS = ("id", "title", "unit_name", "manager", "employment", "last_review", "review_due")


def render_csv(report: Report, project: Project, wording: Wording) -> bytes:
    """Return report.csv: one row per position, its review dates and the entries it uses."""
    usage = library_usage(summaries(project))
    entries = [
        (kind, eid) for kind in sorted(usage) for eid in sorted(usage[kind]) if usage[kind][eid]
    ]
    names = wording.spreadsheet
    header = [names.get(key, key) for key in _CSV_COLUMNS] + [
        f"{names.get(kind, kind)}: {eid}" for kind, eid in entries
    ]
    rows = []
    for entry in report.positions:
        position = project.positions[entry.id]
        status = report.statuses[entry.id]
        uses = set(position_refs(position.model))
        rows.append(
            [
                entry.id,
                entry.title,
                entry.unit,
                entry.manager,
                position.model.employment,
                status.last.isoformat() if status.last else "",
                status.due.isoformat() if status.due else "",
            ]
            + ["x" if pair in uses else "" for pair in entries]
        )
    return write_csv(header, rows).encode("utf-8")


def find_dot() -> str | None:
    """Return the path of Graphviz's ``dot``, or None when it is not installed."""
    return shutil.which("dot")


def render_svg(dot_source: str, dot_program: str) -> bytes:
    """Return the SVG Graphviz draws from ``dot_source``."""
    try:
        done = subprocess.run(
            [dot_program, "-Tsvg"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise OutputError(
            msg("Graphviz could not draw the chart: it took more than 120 s")
        ) from None
    except OSError as exc:
        raise OutputError(
            msg("Graphviz could not draw the chart: {reason}", reason=os_reason(exc))
        ) from None
    if done.returncode != 0:
        said = verbatim(done.stderr.decode("utf-8", "replace").strip())  # Graphviz's own words
        raise OutputError(msg("Graphviz could not draw the chart: {reason}", reason=said))
    return done.stdout


@dataclass
class ReportResult:
    """What the report wrote, and why the SVG was skipped if it was."""

    #: each file written and whether its content changed
    files: list[tuple[Path, bool]] = field(default_factory=list)
    skipped: Message | None = None


def write_report(
    project: Project,
    templates: TemplateSet,
    today: dt.date,
    out: Path,
) -> ReportResult:
    """Write report.md, report.csv and (with Graphviz) orgchart.svg into ``out``."""
    wording = templates.wording
    report = make_report(project, wording, today)
    result = ReportResult()
    files = [
        (MARKDOWN_FILE, render_markdown(report, templates, wording)),
        (CSV_FILE, render_csv(report, project, wording)),
    ]
    program = find_dot()
    if program is None:
        result.skipped = msg(
            "skipped {svg}: Graphviz is not installed (Debian/Ubuntu: apt-get install "
            "graphviz); {markdown} has the chart as a Mermaid diagram",
            svg=SVG_FILE,
            markdown=MARKDOWN_FILE,
        )
    else:
        files.append((SVG_FILE, render_svg(dot(report), program)))
    for name, data in files:
        path = out / name
        result.files.append((path, write_file(path, data)))
    return result
