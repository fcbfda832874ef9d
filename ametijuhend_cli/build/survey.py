"""Checking every position as a map-reduce: each one apart, then the checks across them.

Workers load, validate and resolve one position at a time and return its
problems, already located, with a small summary (names, references, library
entries used); the checks across positions run on the summaries. Memory grows
with the summaries (about a kilobyte a position), not with the positions.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.resolve import resolve_position
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, Problem
from ametijuhend_cli.estonian.forms import CASES, form_problems
from ametijuhend_cli.estonian.spelling import Speller, file_problems, model_texts, shared_problems
from ametijuhend_cli.organization.consistency import check_relations, self_references
from ametijuhend_cli.organization.hygiene import library_problems
from ametijuhend_cli.organization.review import review_problems
from ametijuhend_cli.organization.summary import PERSON_FIELDS, PositionSummary, summarize
from ametijuhend_cli.sources.layouts import Layouts
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.policy import PolicyCheck
from ametijuhend_cli.sources.project import (
    LoadedPosition,
    Project,
    load_position,
    load_shared,
    unique_position_files,
)
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.workers import map_in_order

#: Below this many positions, checking them in worker processes costs more than it saves.
_PARALLEL_FROM = 64


def each_position_problems(
    position: LoadedPosition, paths: ProjectPaths, today: dt.date | None
) -> list[Problem]:
    """Return the organization's checks that need only the position: self-references, review.

    Reviews are checked only when ``today`` is given: the core never reads the clock.
    """
    problems = self_references(position)
    if today is not None:
        problems += review_problems(position, today, paths.review_period_months)
    return problems


def _title_form_problems(position: LoadedPosition) -> list[Problem]:
    """Return what is wrong with the title's cases the position gives (Vabamorf forms them)."""
    model = position.model
    given = {name: getattr(model, name, None) for name in CASES}
    smap = position.source.smap
    return form_problems(
        model.title, given, lambda name, message, hint: smap.problem((name,), message, hint=hint)
    )


@dataclass
class Surveyed:
    """What checking one position apart found."""

    pid: str
    #: None when the file did not load without a problem
    summary: PositionSummary | None
    #: problems of loading and resolving it: each one fails the run
    problems: list[Problem] = field(default_factory=list)
    #: what the organization's checks of the position alone found (see each_position_problems)
    findings: list[Problem] = field(default_factory=list)


class _Survey:
    """The map: one position file in, what is wrong with it and its summary out."""

    def __init__(
        self,
        project: Project,
        layouts: Layouts | None,
        today: dt.date | None,
        speller: Speller | None = None,
    ):
        self.project = project
        self.layouts = layouts
        self.policy = PolicyCheck(layouts) if layouts is not None else None
        self.today = today
        self.speller = speller
        self.names = PositionNames.unchecked()  # references are checked in the reduce

    def __call__(self, path: Path) -> Surveyed:
        problems: list[Problem] = []
        paths = self.project.paths
        position = load_position(path, paths.root, problems, policy=self.policy)
        if position is None or problems:
            return Surveyed(path.stem, None, problems)
        if self.layouts is not None:
            try:
                _, found = resolve_position(self.project, self.layouts, position, self.names)
            except DataError as exc:
                found = exc.problems
            problems.extend(found)
        findings = each_position_problems(position, paths, self.today)
        if self.speller is not None:
            texts = model_texts(position.model)
            findings += file_problems(self.speller, path, paths.root, position.source.smap, texts)
            findings += _title_form_problems(position)
        return Surveyed(
            position.id, summarize(position, paths.root, path).detach(), problems, findings
        )


@dataclass
class Survey:
    """Every position checked: what failed, what the checks found, and the summaries."""

    project: Project
    #: the layouts, when they and the wording could be read
    layouts: Layouts | None
    positions: dict[str, PositionSummary] = field(default_factory=dict)
    #: problems that fail the run (of the shared files, of loading and resolving positions)
    failed: list[Problem] = field(default_factory=list)
    findings: list[Problem] = field(default_factory=list)
    #: ids of position files that did not load
    broken: set[str] = field(default_factory=set)


def survey(
    paths: ProjectPaths,
    templates: TemplateSet,
    today: dt.date | None,
    speller: Speller | None = None,
) -> Survey:
    """Return every position of the project checked on its own (the map).

    With a ``speller``, the spelling of every text is checked too (each
    unknown word is an error, among the findings).
    """
    project = load_shared(paths)
    result = Survey(project, None, failed=list(project.problems))
    if speller is not None:
        result.findings.extend(shared_problems(speller, paths))
    try:
        templates.wording  # noqa: B018 - read (and checked) first: the layouts build on it
        layout_problems = templates.layouts.problems()
        result.failed.extend(layout_problems)
        if not layout_problems:
            result.layouts = templates.layouts
    except DataError as exc:  # reported with the problems of the data
        result.failed.extend(exc.problems)
    files, by_position = unique_position_files(paths)
    for found in by_position.values():
        result.failed.extend(found)
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    check = _Survey(project, result.layouts, today, speller)
    jobs = os.cpu_count() or 1
    for outcome in map_in_order(check, files, jobs, parallel_from=_PARALLEL_FROM):
        result.failed.extend(outcome.problems)
        if outcome.summary is None or by_position.get(outcome.pid):
            result.broken.add(outcome.pid)
            continue
        outcome.summary.share(seen)
        result.positions[outcome.pid] = outcome.summary
        result.findings.extend(outcome.findings)
    return result


def names_of(result: Survey, layouts: Layouts) -> PositionNames:
    """Return how the positions that loaded are named by the others."""
    records = {pid: s.name_record() for pid, s in result.positions.items()}
    return PositionNames.from_records(
        records, result.broken, result.project.units, layouts.wording.position_with_unit
    )


def reference_problems(result: Survey, names: PositionNames) -> list[Problem]:
    """Return what is wrong with the references between positions (unknown, no partitive)."""
    problems = []
    for summary in result.positions.values():
        for loc, pid in summary.people:
            found = names.check(pid, loc, summary, partitive=PERSON_FIELDS[str(loc[0])])
            if found is not None:
                problems.append(found)
    return problems


def problems_across(result: Survey, names: PositionNames) -> list[Problem]:
    """Return the problems across positions (the reduce); raise DataError when a check fails.

    The checks across positions run only on sources without errors: a
    position that failed to load would make others look one-sided and library
    entries look unused. Errors between positions are reported in any case.
    """
    failed = result.failed + reference_problems(result, names)
    relations = check_relations(result.positions)
    if failed:
        related = [p for p in result.findings + relations if p.severity == "error"]
        raise DataError(failed + related)
    return result.findings + relations + library_problems(result.project, result.positions)


def first_view(result: Survey, names: PositionNames, layouts: Layouts) -> DocumentView | None:
    """Return the view of the first position (by id), to try the templates on."""
    if not result.positions:
        return None
    summary = result.positions[min(result.positions)]
    problems: list[Problem] = []
    position = load_position(Path(summary.file), result.project.paths.root, problems)
    if position is None:  # changed since it was checked
        raise DataError(problems)
    view, found = resolve_position(result.project, layouts, position, names)
    if found:
        raise DataError(found)
    return view
