"""Render a document view to Markdown through the Jinja2 template position.md.j2."""

from __future__ import annotations

import dataclasses
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, Problem, TemplateError
from ametijuhend_cli.messages import display_path
from ametijuhend_cli.sources.decode import decode
from ametijuhend_cli.sources.templates import MARKDOWN_TEMPLATE, TemplateSet

# Only a value that begins a line could turn into a heading, quote or list item;
# a leading "1." is left alone because values follow "## " in headings.
_LINE_START = re.compile(r"^(\s*)([#>+-])(?=\s|$)")


_INLINE = re.compile(r"([\\`*_\[\]<>|])")


def escape_markdown(value: Any) -> Any:
    """Return ``value`` with Markdown markup characters escaped (strings only)."""
    if not isinstance(value, str):
        return value
    if _INLINE.search(value):  # most texts have no markup characters at all
        value = _INLINE.sub(r"\\\1", value)
    if value[:1] in ("#", ">", "+", "-", " ", "\t"):
        value = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    return value


#: A template larger than this is refused: a real one is a few kilobytes.
MAX_TEMPLATE_BYTES = 1_000_000


class _Loader(jinja2.FileSystemLoader):
    """Load templates as the tool reads every source: bounded in size, UTF-8 or a located error."""

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            path = Path(folder) / template
            if path.is_file():
                return _template_source(path), str(path), lambda: False
        raise jinja2.TemplateNotFound(template)


def _template_source(path: Path) -> str:
    """Return the text of a template file; raise TemplateError, located, with a hint."""
    display = display_path(path)
    try:
        size = path.stat().st_size
        if size > MAX_TEMPLATE_BYTES:
            problem = Problem(
                path=display,
                message=f"the template is too large ({size:,} bytes; at most "
                f"{MAX_TEMPLATE_BYTES:,})",
                hint="a template holds the layout; the texts belong in the data",
            )
            raise TemplateError(str(problem), problem)
        data = path.read_bytes()
    except OSError as exc:
        problem = Problem(path=display, message=f"cannot read the template: {exc.strerror}")
        raise TemplateError(str(problem), problem) from None
    try:
        return decode(data, display)
    except DataError as exc:  # not UTF-8: where, and how to save it right
        raise TemplateError(str(exc.problems[0]), exc.problems[0]) from None


def environment(templates: TemplateSet) -> jinja2.Environment:
    """Return the Jinja2 environment over the template search path."""
    return jinja2.Environment(
        loader=_Loader([str(f) for f in templates.folders]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # every value printed from the data is escaped, so that a '*' or '|' in a
        # task cannot change the document's structure; the template's own
        # markup is literal text and stays as written
        finalize=escape_markdown,
    )


#: The template variables, by the class of their value.
_VARIABLES = {"DocumentView": "doc", "Wording": "w"}


class MarkdownRenderer:
    """Render document views with the project's Markdown template."""

    def __init__(self, templates: TemplateSet):
        try:
            self.template = environment(templates).get_template(MARKDOWN_TEMPLATE)
        except jinja2.TemplateSyntaxError as exc:
            where = display_path(Path(exc.filename)) if exc.filename else str(exc.name)
            problem = Problem(
                path=where,
                line=exc.lineno,
                message=f"template syntax error: {exc.message}",
            )
            raise TemplateError(str(problem), problem) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(f"template '{exc.name}' not found") from None

    def _problem(self, exc: Exception, doc: DocumentView) -> Problem:
        """Return a problem at the template line that raised ``exc``."""
        filename = self.template.filename or MARKDOWN_TEMPLATE
        # Jinja rewrites tracebacks so that template frames carry template lines
        lines = [
            f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename
        ]
        # "'ametijuhend_cli.document.resolve.DocumentView object' has no attribute 'x'": name the
        # variable the template author wrote
        message = re.sub(
            r"'(?:\w+\.)*(\w+) object'",
            lambda m: repr(_VARIABLES.get(m.group(1), m.group(1))),
            str(exc),
        )
        return Problem(
            path=display_path(Path(filename)),
            line=lines[-1] if lines else None,
            message=f"{message} (while rendering {doc.id})",
            hint="the variables a template can use are listed in the README "
            "(Restyling and rewording)",
        )

    def render(self, doc: DocumentView) -> bytes:
        """Return the Markdown of ``doc`` as UTF-8 bytes."""
        try:
            text = self.template.render(doc=doc, w=doc.wording)
        except RecursionError as exc:  # a macro that calls itself without end
            problem = self._problem(exc, doc)
            problem = dataclasses.replace(
                problem,
                message=f"the template calls itself without end (while rendering {doc.id})",
                hint="a macro that calls itself needs a condition that stops it",
            )
            raise TemplateError(str(problem), problem) from None
        except (jinja2.TemplateError, ArithmeticError, LookupError, TypeError, ValueError) as exc:
            # a template can fail like any program: 1/0, a missing key, a bad format
            problem = self._problem(exc, doc)
            raise TemplateError(str(problem), problem) from None
        # tidy blank lines so template edits cannot produce ragged output
        text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
        return text.encode("utf-8")
