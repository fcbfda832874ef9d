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
    """Return the renderers that load, and the problems of the templates that do not."""
    renderers: dict[str, Callable[[DocumentView], bytes]] = {}
    problems: list[Problem] = []
    for fmt in formats:
        try:
            renderers[fmt] = _renderer(templates, fmt)
        except TemplateError as exc:
            problems.append(exc.problem)
    return renderers, problems


def _renderer(templates: TemplateSet, fmt: str) -> Callable[[DocumentView], bytes]:
    if fmt == "md":
        from ametijuhend_cli.render.markdown import MarkdownRenderer

        return MarkdownRenderer(templates).render
    if fmt == "docx":
        from ametijuhend_cli.render.docx import DocxRenderer

        return DocxRenderer(templates).render
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
