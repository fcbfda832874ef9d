"""The renderer of each output format, and the problems of templates that do not load."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ametijuhend_cli.errors import Problem, TemplateError
from ametijuhend_cli.sources.templates import TemplateSet

#: The formats build writes by default, and the ones validate checks the templates of.
FORMATS = ("md", "docx")

if TYPE_CHECKING:
    from ametijuhend_cli.document.view import DocumentView


def template_renderers(
    templates: TemplateSet, formats: Iterable[str]
) -> tuple[dict[str, Callable[[DocumentView], bytes]], list[Problem]]:
    """Return the renderers that load, and the problems of the templates that do not, with
    the warnings of those that do (what was left out of the reference document)."""
    renderers: dict[str, Callable[[DocumentView], bytes]] = {}
    problems: list[Problem] = []
    for fmt in formats:
        try:
            renderers[fmt], warnings = _renderer(templates, fmt)
        except TemplateError as exc:
            problems.append(exc.problem)
        else:
            problems += warnings
    return renderers, problems


def errors_and_warnings(problems: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    """Return the errors among ``problems`` and the warnings."""
    return [p for p in problems if p.is_error], [p for p in problems if not p.is_error]


def _renderer(
    templates: TemplateSet, fmt: str
) -> tuple[Callable[[DocumentView], bytes], list[Problem]]:
    if fmt == "md":
        from ametijuhend_cli.render.markdown import MarkdownRenderer

        return MarkdownRenderer(templates).render, []
    if fmt == "docx":
        from ametijuhend_cli.render.docx import DocxRenderer

        docx = DocxRenderer(templates)
        return docx.render, docx.reference.warnings()
    raise ValueError(f"unknown format {fmt}")


def try_templates(
    renderers: Iterable[Callable[[DocumentView], bytes]], view: DocumentView
) -> list[Problem]:
    """Return what goes wrong rendering ``view`` with each renderer (the templates' trial)."""
    problems = []
    for render in renderers:
        try:
            render(view)
        except TemplateError as exc:
            problems.append(exc.problem)
    return problems
