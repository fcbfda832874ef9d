"""The one check of a whole project: every position apart (the map), then across them.

Every command that needs the project checked goes through here: validate and
build --strict (summaries only, so memory stays flat), list, review, report,
diff and impact (the positions kept too), and a build whose shared sources
are broken (to show every problem in one run). Workers read, validate and
resolve one position at a time (``load_and_resolve``, the step the build's
renderer takes too) and return its problems, already located, with a small
summary (names, references, library entries used); the checks across
positions run on the summaries.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ametijuhend_cli.document.references import PositionNames
from ametijuhend_cli.document.resolve import resolve_position
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, Findings, Problem
from ametijuhend_cli.estonian.forms import CASES, form_problems
from ametijuhend_cli.estonian.spelling import Speller, file_problems, model_texts, shared_problems
from ametijuhend_cli.organization.consistency import check_relations, self_references
from ametijuhend_cli.organization.hygiene import library_problems
from ametijuhend_cli.organization.review import review_problems
from ametijuhend_cli.organization.summary import PERSON_FIELDS, PositionSummary, summarize
from ametijuhend_cli.render.formats import (
    FORMATS,
    errors_and_warnings,
    template_renderers,
    try_templates,
)
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
from ametijuhend_cli.sources.wording import Wording
from ametijuhend_cli.workers import map_in_order

#: Below this many positions, checking them in worker processes costs more than it saves.
_PARALLEL_FROM = 64


# -- one position -------------------------------------------------------------


@dataclass
class Resolved:
    """One position file read, validated and resolved, or what kept it from that."""

    position: LoadedPosition | None
    view: DocumentView | None = None
    #: the problems of loading it (then there is no position) or of resolving it
    problems: list[Problem] = field(default_factory=list)


def load_and_resolve(
    project: Project,
    layouts: Layouts | None,
    path: Path,
    names: PositionNames | None = None,
    data: bytes | None = None,
) -> Resolved:
    """Return the position in ``path`` (the bytes ``data`` when given) and its view.

    Without ``layouts`` (the wording or a layout is broken) the position is
    only loaded; with them, it is checked against its layout's policy too.
    ``names`` are how it names other positions (default: every position of
    ``project``).
    """
    problems: list[Problem] = []
    policy = PolicyCheck(layouts) if layouts is not None else None
    position = load_position(path, project.paths.root, problems, data, policy)
    if position is None or layouts is None:
        return Resolved(position, None, problems)
    try:
        view, problems = resolve_position(project, layouts, position, names)
    except DataError as exc:  # the wording lacks what the position needs
        return Resolved(position, None, exc.problems)
    return Resolved(position, view, problems)


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


@dataclass
class PositionChecked:
    """What checking one position apart found."""

    pid: str
    #: None when the file did not load
    summary: PositionSummary | None
    #: problems of loading it (no summary then) or resolving it: each fails the run
    problems: list[Problem] = field(default_factory=list)
    #: what the organization's checks of the position alone found (each_position_problems)
    findings: list[Problem] = field(default_factory=list)
    #: the position itself, when the caller keeps them (its source map packed)
    position: LoadedPosition | None = None


def _title_form_problems(position: LoadedPosition) -> list[Problem]:
    """Return what is wrong with the title's cases the position gives (Vabamorf forms them)."""
    model = position.model
    given = {name: getattr(model, name, None) for name in CASES}
    smap = position.source.smap
    return form_problems(
        model.title,
        given,
        lambda name, message, hint: smap.problem((name,), message, hint=hint),
    )


class _CheckPosition:
    """The map: one position file in, what is wrong with it and its summary out."""

    def __init__(
        self,
        project: Project,
        layouts: Layouts | None,
        today: dt.date | None,
        keep: bool,
        speller: Speller | None = None,
    ):
        self.project = project
        self.layouts = layouts
        self.today = today
        self.keep = keep
        self.speller = speller
        self.names = PositionNames.unchecked()  # references are checked in the reduce

    def __call__(self, path: Path) -> PositionChecked:
        paths = self.project.paths
        resolved = load_and_resolve(self.project, self.layouts, path, self.names)
        position = resolved.position
        if position is None:
            return PositionChecked(path.stem, None, resolved.problems)
        findings = each_position_problems(position, paths, self.today)
        if self.speller is not None:
            texts = model_texts(position.model)
            findings += file_problems(self.speller, path, paths.root, position.source.smap, texts)
            findings += _title_form_problems(position)
        summary = summarize(position, paths.root, path).detach()
        if not self.keep:
            return PositionChecked(position.id, summary, resolved.problems, findings)
        position.source.smap.pack()
        return PositionChecked(position.id, summary, resolved.problems, findings, position)


# -- the whole project --------------------------------------------------------


@dataclass
class ProjectCheck:
    """Every position checked apart: what failed, what the checks found, the summaries.

    ``project`` holds the positions that loaded when they were kept.
    """

    project: Project
    templates: TemplateSet
    #: the layouts, when they and the wording could be read
    layouts: Layouts | None
    summaries: dict[str, PositionSummary] = field(default_factory=dict)
    #: problems of the shared files (organization, library, project file, wording, layouts)
    shared: list[Problem] = field(default_factory=list)
    #: problems of loading each position file (its name included), by id
    loading: dict[str, list[Problem]] = field(default_factory=dict)
    #: problems of resolving each position that loaded, by id
    resolving: dict[str, list[Problem]] = field(default_factory=dict)
    #: what the checks of each position alone found (self-references, reviews)
    findings: list[Problem] = field(default_factory=list)

    @property
    def broken(self) -> set[str]:
        """Return the ids of position files that did not load."""
        return {pid for pid, found in self.loading.items() if found and pid}

    def names(self) -> PositionNames:
        """Return how the positions that loaded are named by the others."""
        records = {pid: s.name_record() for pid, s in self.summaries.items()}
        with_unit = self.layouts.wording.position_with_unit if self.layouts is not None else ""
        return PositionNames.from_records(records, self.broken, self.project.units, with_unit)


def check_project(
    paths: ProjectPaths,
    *,
    today: dt.date | None = None,
    keep_positions: bool = False,
    templates: TemplateSet | None = None,
    speller: Speller | None = None,
) -> ProjectCheck:
    """Return every position of the project checked on its own (the map).

    Reviews are checked only when ``today`` is given: the core never reads the
    clock. With ``keep_positions`` the positions that loaded are kept in
    ``project.positions`` (list, report and diff read them). With a
    ``speller``, the spelling of every text is checked too (each unknown word
    is an error, among the findings).
    """
    project = load_shared(paths)
    if templates is None:
        templates = TemplateSet.of(paths)
    check = ProjectCheck(project, templates, None, shared=list(project.problems))
    if speller is not None:
        check.findings.extend(shared_problems(speller, paths))
    try:
        templates.wording  # noqa: B018 - read (and checked) first: the layouts build on it
        layout_problems = templates.layouts.problems()
        check.shared.extend(layout_problems)
        if not layout_problems:
            check.layouts = templates.layouts
    except DataError as exc:  # reported with the problems of the data
        check.shared.extend(exc.problems)
    files, check.loading = unique_position_files(paths)
    check.shared.extend(check.loading.pop("", []))
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    each = _CheckPosition(project, check.layouts, today, keep_positions, speller)
    jobs = os.cpu_count() or 1
    for done in map_in_order(each, files, jobs, parallel_from=_PARALLEL_FROM):
        if done.summary is None:
            check.loading[done.pid].extend(done.problems)
            continue
        check.resolving[done.pid] = done.problems
        check.findings.extend(done.findings)
        if check.loading.get(done.pid):  # x.yaml beside x.yml: the id is broken
            continue
        done.summary.share(seen)
        check.summaries[done.pid] = done.summary
        if done.position is not None:
            project.positions[done.pid] = done.position
    project.problems = check.shared + [p for found in check.loading.values() for p in found]
    return check


def _references(check: ProjectCheck, names: PositionNames) -> dict[str, list[Problem]]:
    """Return what is wrong with each position's references to others (unknown, no partitive)."""
    found: dict[str, list[Problem]] = {}
    for pid, summary in check.summaries.items():
        for loc, other in summary.people:
            problem = names.check(other, loc, summary, partitive=PERSON_FIELDS[str(loc[0])])
            if problem is not None:
                found.setdefault(pid, []).append(problem)
    return found


def problems_of(
    check: ProjectCheck, ids: Iterable[str] | None = None, *, strict: bool = False
) -> Findings:
    """Return what the checks found (the reduce): the problems that fail the run, if any,
    else the warnings.

    Given ``ids``, only those positions' own problems fail the run; the files
    of the others that do not load are warned about. The checks across
    positions (one-sided substitutes, library hygiene) run only on sources
    without errors: a position that failed to load would make others look
    one-sided and library entries look unused. Errors between positions (a
    circle of managers, a position its own manager) are reported in any case.
    """
    wanted = set(ids) if ids is not None else None

    def chosen(by_id: dict[str, list[Problem]]) -> list[Problem]:
        return [p for pid, found in by_id.items() if wanted is None or pid in wanted for p in found]

    others = [
        p.as_warning()
        for pid, found in check.loading.items()
        if wanted is not None and pid not in wanted
        for p in found
    ]
    if check.layouts is None:  # nothing was resolved: the sources' own problems
        return Findings(check.shared + chosen(check.loading) + others)
    references = _references(check, check.names())
    failed = check.shared + chosen(check.loading) + chosen(check.resolving) + chosen(references)
    relations = check_relations(check.summaries)
    if failed:
        related = [p for p in check.findings + relations if p.is_error]
        return Findings(failed + related + others)
    hygiene = library_problems(check.project, check.summaries)
    return Findings(check.findings + relations + hygiene)


# -- what the commands ask for ------------------------------------------------


@dataclass
class Validated:
    """What validate checked and the warnings it found."""

    positions: int
    warnings: list[Problem] = field(default_factory=list)


def validate_project(
    paths: ProjectPaths,
    *,
    today: dt.date | None = None,
    strict: bool = False,
    spelling: bool = False,
) -> Validated:
    """Return how many positions were checked and the warnings; raise DataError on errors.

    Only a summary of each position is kept (memory does not grow with the
    positions), and the templates are tried on the first position: rendering
    all would double the time and find nothing the data check missed. With
    ``spelling``, every Estonian text is spell-checked (the extra keel); raise
    MissingExtraError without it.
    """
    speller = _speller(paths) if spelling else None
    templates = TemplateSet.of(paths)
    renderers, loaded = template_renderers(templates, FORMATS)
    # what the reference document left out is a warning among the project's
    template_problems, template_warnings = errors_and_warnings(loaded)
    check = check_project(paths, today=today, templates=templates, speller=speller)
    findings = problems_of(check)
    findings.add(template_warnings)
    try:
        findings.stop(strict=strict)
        view = first_view(check)
    except DataError as exc:  # a broken template does not hide the data's problems
        raise DataError(exc.problems + template_problems, strict=exc.strict) from None
    if view is not None:
        template_problems += try_templates(renderers.values(), view)
    Findings(template_problems).stop()
    return Validated(len(check.summaries), findings.warnings)


def first_view(check: ProjectCheck) -> DocumentView | None:
    """Return the view of the first position (by id), to try the templates on.

    The file is read again: one changed or broken since it was checked is
    reported, not rendered.
    """
    if not check.summaries or check.layouts is None:
        return None
    summary = check.summaries[min(check.summaries)]
    resolved = load_and_resolve(check.project, check.layouts, Path(summary.file), check.names())
    Findings(resolved.problems).stop()
    return resolved.view


@dataclass
class Checked:
    """A checked project with its positions (and their views, when asked), and its warnings."""

    project: Project
    templates: TemplateSet
    layouts: Layouts
    wording: Wording
    names: PositionNames
    views: dict[str, DocumentView]
    warnings: list[Problem]


def checked_project(
    paths: ProjectPaths,
    *,
    views: bool = False,
    today: dt.date | None = None,
    strict: bool = False,
) -> Checked:
    """Return the project with every position loaded, checked as validate checks it;
    raise DataError on errors (and on warnings with ``strict``).

    With ``views``, every position's document view too (diff and impact read them).
    """
    check = check_project(paths, today=today, keep_positions=True)
    findings = problems_of(check)
    findings.stop(strict=strict)
    layouts = check.layouts
    assert layouts is not None  # its problems stop the run
    names = check.names()
    found: dict[str, DocumentView] = {}
    if views:
        for pid, position in sorted(check.project.positions.items()):
            view, problems = resolve_position(check.project, layouts, position, names)
            Findings(problems).stop()  # found by the check already
            found[pid] = view
    return Checked(
        check.project, check.templates, layouts, layouts.wording, names, found, findings.warnings
    )


def stop_on_problems(paths: ProjectPaths, ids: Iterable[str] | None = None) -> None:
    """Check every position and raise DataError with every problem that fails the run.

    Given ``ids``, only those positions' own problems fail it; the files of
    the others that do not load are warned about.
    """
    problems_of(check_project(paths), ids).stop()


def _speller(paths: ProjectPaths) -> Speller:
    """Return the speller with the project's word list, Vabamorf loaded (before workers fork)."""
    from ametijuhend_cli.estonian import vabamorf
    from ametijuhend_cli.estonian.spelling import read_word_list
    from ametijuhend_cli.messages import display_path

    vabamorf.engine()  # loaded once here, not in each forked worker; says how to install it
    path = paths.word_list
    return Speller(read_word_list(path, paths.root), display_path(path))
