"""Loading and checking a whole project: its views and the organization-wide checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ametijuhend_cli.build.renderers import FORMATS, template_problem, template_renderers
from ametijuhend_cli.build.select import unknown_positions
from ametijuhend_cli.build.survey import (
    each_position_problems,
    first_view,
    names_of,
    problems_across,
    survey,
)
from ametijuhend_cli.document.resolve import resolve_all
from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, Problem, TemplateError
from ametijuhend_cli.estonian.spelling import Speller
from ametijuhend_cli.organization.consistency import check_relations, self_references
from ametijuhend_cli.organization.summary import PositionSummary
from ametijuhend_cli.sources.paths import ProjectPaths
from ametijuhend_cli.sources.policy import PolicyCheck
from ametijuhend_cli.sources.project import Project, load_project
from ametijuhend_cli.sources.templates import TemplateSet


def load(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    today: dt.date | None = None,
    strict: bool = False,
) -> tuple[Project, TemplateSet, dict[str, DocumentView]]:
    """Return the project, its templates and the resolved views; raise DataError."""
    checked = load_checked(paths, ids, today=today, strict=strict)
    return checked.project, checked.templates, checked.views


@dataclass
class Checked:
    """A loaded, resolved project and the warnings about it."""

    project: Project
    templates: TemplateSet
    views: dict[str, DocumentView]
    warnings: list[Problem]


def organization_problems(project: Project, today: dt.date | None) -> list[Problem]:
    """Return the organization-wide problems: relations, library hygiene, overdue reviews.

    Reviews are checked only when ``today`` is given: the core never reads the clock.
    """
    from ametijuhend_cli.organization.hygiene import library_problems
    from ametijuhend_cli.organization.summary import summaries

    positions = summaries(project)
    problems = check_relations(positions) + library_problems(project, positions)
    for position in project.positions.values():
        problems += each_position_problems(position, project.paths, today)
    return problems


def _related_errors(project: Project, positions: dict[str, PositionSummary]) -> list[Problem]:
    """Return the errors between positions: self-references and circles of managers."""
    problems = [p for position in project.positions.values() for p in self_references(position)]
    return problems + [p for p in check_relations(positions) if p.severity == "error"]


def load_checked(
    paths: ProjectPaths,
    ids: Iterable[str] | None = None,
    *,
    today: dt.date | None = None,
    strict: bool = False,
    keep_views: int | None = None,
    templates: TemplateSet | None = None,
) -> Checked:
    """Return the project, its views and its warnings; raise DataError on errors.

    The organization-wide checks run only on sources without errors: a position
    that failed to load would make others look one-sided and library entries
    look unused. With ``strict``, warnings fail like errors.
    """
    if templates is None:
        templates = TemplateSet.of(paths)
    project = load_project(paths, PolicyCheck(templates.layouts))
    wanted = list(dict.fromkeys(ids)) if ids else None
    if wanted:
        present = {*project.positions, *project.position_problems}
        unknown = [i for i in wanted if i not in present]
        if unknown:
            raise unknown_positions(unknown, project.positions)
    try:
        templates.wording  # noqa: B018 - read (and checked) first: the layouts build on it
        layout_problems = templates.layouts.problems()
        if layout_problems:
            raise DataError(layout_problems)
    except DataError as exc:  # report it together with the problems of the data
        blocking, others = project.problems_for(wanted)
        raise DataError(blocking + others + exc.problems) from None
    try:
        views = resolve_all(project, templates.layouts, wanted, keep=keep_views)
    except DataError as exc:
        # errors between positions are errors whatever else is wrong: one run shows all
        from ametijuhend_cli.organization.summary import summaries

        related = _related_errors(project, summaries(project))
        others = project.problems_for(wanted)[1]
        raise DataError(exc.problems + related + others) from None
    found = organization_problems(project, today)
    errors = [p for p in found if p.severity == "error"]
    warnings = sorted((p for p in found if p.severity != "error"), key=Problem.sort_key)
    if errors or (strict and warnings):
        raise DataError(errors + warnings, strict=strict)
    return Checked(project, templates, views, warnings)


@dataclass
class ValidationResult:
    """What validate checked and the warnings it found."""

    positions: int
    warnings: list[Problem] = field(default_factory=list)


def validate(
    paths: ProjectPaths,
    *,
    today: dt.date | None = None,
    strict: bool = False,
    spelling: bool = False,
) -> ValidationResult:
    """Return how many positions were checked and the warnings; raise DataError on errors.

    Each position is checked apart, in worker processes for a large project,
    and only a summary of it is kept for the checks across positions (see
    build.survey): memory does not grow with the size of the positions.
    With ``spelling``, every Estonian text is spell-checked (the extra keel);
    raise MissingExtraError without it.
    """
    speller = _speller(paths) if spelling else None
    templates = TemplateSet.of(paths)
    renderers, template_problems = template_renderers(templates, FORMATS)
    try:
        result = survey(paths, templates, today, speller)
        if result.layouts is None:
            raise DataError(result.failed)
        names = names_of(result, result.layouts)
        found = problems_across(result, names)
        errors = [p for p in found if p.severity == "error"]
        warnings = sorted((p for p in found if p.severity != "error"), key=Problem.sort_key)
        if errors or (strict and warnings):
            raise DataError(errors + warnings, strict=strict)
        view = first_view(result, names, result.layouts)
    except DataError as exc:  # a broken template does not hide the data's problems
        raise DataError(exc.problems + template_problems, strict=exc.strict) from None
    # Rendering one position checks that the templates compile and run;
    # rendering all would double the time and find nothing the data check missed.
    for render in renderers.values():
        try:
            if view is not None:
                render(view)
        except TemplateError as exc:
            template_problems.append(template_problem(exc))
    if template_problems:
        raise DataError(template_problems)
    return ValidationResult(len(result.positions), warnings)


def _speller(paths: ProjectPaths) -> Speller:
    """Return the speller with the project's word list, Vabamorf loaded (before workers fork)."""
    from ametijuhend_cli.estonian import vabamorf
    from ametijuhend_cli.estonian.spelling import read_word_list
    from ametijuhend_cli.messages import display_path

    vabamorf.engine()  # loaded once here, not in each forked worker; says how to install it
    path = paths.word_list
    return Speller(read_word_list(path, paths.root), display_path(path))
