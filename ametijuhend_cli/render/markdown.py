"""Render a document view to Markdown through the Jinja2 template position.md.j2."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from jinja2.exceptions import SecurityError

from ametijuhend_cli.document.view import DocumentView
from ametijuhend_cli.errors import DataError, Message, Problem, TemplateError, msg, verbatim
from ametijuhend_cli.messages import display_path, excerpt
from ametijuhend_cli.render import sandbox
from ametijuhend_cli.render.sandbox import (
    RENDER_ERRORS,
    ProjectEnvironment,
    TemplateLimitError,
    located,
    render,
)
from ametijuhend_cli.sources.decode import character_problems, decode
from ametijuhend_cli.sources.templates import MARKDOWN_TEMPLATE, TemplateSet

#: What turns a text into markup wherever it stands: emphasis, code, links,
#: HTML, table cells, strike-through (~~) and character references (&amp;).
_INLINE = re.compile(r"([\\`*_\[\]<>|~])|&(?=#?\w+;)")
#: A closing sequence of '#' that a heading would drop ("Tiim #").
_TRAILING_HASHES = re.compile(r"(?<=[ \t])(#+)[ \t]*$")
#: What turns a value at the start of a line into a heading, quote, list item,
#: thematic break or setext underline. It is escaped wherever the value stands
#: (a value after "## " has the same text either way).
_LINE_START = re.compile(r"^(\s*)([#>+]|[-=](?=[-=\s]|$))")
#: An ordered list marker ("1. jaanuarist", "2025. aasta", "3) "). A heading
#: number ("## 1. ÜLDOSA") is a value too: it is escaped only where it begins a
#: block, which the rendered text shows (see _ORDERED_AT_LINE_START).
_ORDERED = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")
#: Marks a value that opens like an ordered list, until the template's
#: output shows whether it stands at the start of a line (validation refuses
#: NUL in every text, and it is removed from the value first).
_MARK = "\x00"
#: A marked value at the start of a line, perhaps after list and quote markers.
_ORDERED_AT_LINE_START = re.compile(
    r"^([ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+|>[ \t]?)*)\x00(\d{1,9})([.)])", re.MULTILINE
)


def _escape(value: str) -> str:
    value = value.replace(_MARK, "")
    if _INLINE.search(value):  # most texts have no markup characters at all
        value = _INLINE.sub(lambda m: "\\" + m.group(0), value)
    if "#" in value:
        value = _TRAILING_HASHES.sub(lambda m: "\\#" * len(m.group(1)), value)
    if value[:1] in ("#", ">", "+", "-", "=", " ", "\t"):
        value = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    return value


_BLANK_LINES = re.compile(r"\n{3,}")

#: A template larger than this is refused: a real one is a few kilobytes.
MAX_TEMPLATE_BYTES = 1_000_000


def escape_markdown(value: Any) -> Any:
    """Return ``value`` (strings only) escaped to read as itself at the start of a line.

    Markup (a template's ``| safe``, e.g. the output of a macro whose values
    were escaped already) is left as it is.
    """
    if not isinstance(value, str) or isinstance(value, markupsafe.Markup):
        return value
    return _ORDERED.sub(r"\1\\\2", _escape(value))


def _finalize(value: Any) -> Any:
    """Return ``value`` escaped, a leading ordered-list marker only marked (Markup as it is)."""
    if value.__class__ is str:
        found = _FINALIZED.get(value)
        if found is None:
            found = _finalize_text(value)
            if len(value) <= _FINALIZED_LONGEST:
                if len(_FINALIZED) >= _FINALIZED_MAX:
                    _FINALIZED.clear()
                _FINALIZED[value] = found
        return found
    if not isinstance(value, str) or isinstance(value, markupsafe.Markup):
        return value
    return _finalize_text(value)


def _finalize_text(value: str) -> str:
    value = _escape(value)
    return _MARK + value if _ORDERED.match(value) else value


#: Short texts finalized already, and how they came out: headings, wording and
#: library texts recur in every document (a pure function of the text; bounded,
#: emptied when full, so that memory does not grow with the project)
_FINALIZED: dict[str, str] = {}
_FINALIZED_MAX = 4096
_FINALIZED_LONGEST = 500


def _resolve_marks(text: str) -> str:
    """Return ``text`` with each marked ordered-list opening escaped where it begins a line."""
    if _MARK not in text:
        return text
    return _ORDERED_AT_LINE_START.sub(r"\1\2\\\3", text).replace(_MARK, "")


class _MarkdownTemplate(jinja2.Template):
    """A template whose output has every marked value resolved (see _finalize)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Return the rendered text, each ordered-list opening escaped where it begins a line."""
        return _resolve_marks(super().render(*args, **kwargs))


class _TemplateLoader(jinja2.BaseLoader):
    """Load templates from the search path, each a regular file inside its folder."""

    def __init__(self, templates: TemplateSet):
        self.templates = templates

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        # split_template_path refuses '..' and absolute names
        name = "/".join(jinja2.loaders.split_template_path(template))
        found = self.templates.files(name)
        if not found:
            raise jinja2.TemplateNotFound(template)
        path = found[0]
        display = display_path(path)
        try:
            data = self.templates.read(path)
            if len(data) > MAX_TEMPLATE_BYTES:
                raise DataError(
                    [
                        Problem(
                            path=display,
                            message=msg(
                                "the template is too large ({size} bytes; at most {limit})",
                                size=f"{len(data):,}",
                                limit=f"{MAX_TEMPLATE_BYTES:,}",
                            ),
                            hint=msg("a template holds the layout; the texts belong in the data"),
                        )
                    ]
                )
            text = decode(data, display)  # not UTF-8: where, and how to save it right
            bad = character_problems(text, display)  # direction characters too
            if bad:
                raise DataError(bad)
        except DataError as exc:
            raise TemplateError(exc.problems[0]) from None
        return text.replace("\r\n", "\n"), str(path), lambda: True


class _CompiledTemplates(jinja2.BytecodeCache):
    """The compiled code of the templates this process loaded, by name and source digest.

    A template's source is read every time; only the compilation (most of the
    cost of setting up a renderer) is skipped when the same source comes again.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # checked against the source's digest

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if len(self.code) >= 256:  # bounded: a long-lived process meets few templates
            self.code.clear()
        self.code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


def environment(templates: TemplateSet) -> ProjectEnvironment:
    """Return the Jinja2 environment over the template search path: the one every project
    template (a document, the report, a notice) is rendered in, sandboxed and bounded."""
    env = ProjectEnvironment(
        loader=_TemplateLoader(templates),
        bytecode_cache=_COMPILED,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # every value printed from the data is escaped, so that a '*' or '|' in a
        # task cannot change the document's structure; the template's own
        # markup is literal text and stays as written
        finalize=_finalize,
    )
    env.template_class = _MarkdownTemplate
    return env


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
                message=msg("template syntax error: {message}", message=str(exc.message)),
            )
            raise TemplateError(problem) from None
        except jinja2.TemplateNotFound as exc:
            raise TemplateError(msg("template '{name}' not found", name=str(exc.name))) from None

    def _problem(self, exc: BaseException, doc: DocumentView) -> Problem:
        """Return a problem at the template line that raised ``exc``."""
        return template_problem(exc, self.template, msg("while rendering {id}", id=doc.id))

    def render(self, doc: DocumentView) -> bytes:
        """Return the Markdown of ``doc`` as UTF-8 bytes."""
        try:
            text = render(self.template, doc=doc, w=doc.wording)
        except RecursionError as exc:  # a macro that calls itself without end
            problem = self._problem(exc, doc)
            problem = dataclasses.replace(
                problem,
                message=msg(
                    "the template calls itself without end (while rendering {id})", id=doc.id
                ),
                hint=msg("a macro that calls itself needs a condition that stops it"),
            )
            raise TemplateError(problem) from None
        except RENDER_ERRORS as exc:
            # a template can fail like any program: 1/0, a missing key, a bad format
            raise TemplateError(self._problem(exc, doc)) from None
        # tidy blank lines so template edits cannot produce ragged output
        text = _BLANK_LINES.sub("\n\n", text).strip() + "\n"
        return text.encode("utf-8")


def template_problem(exc: BaseException, template: jinja2.Template, doing: Message) -> Problem:
    """Return the problem ``exc`` (raised rendering ``template``) is, at the line it came from."""
    path, line = located(exc, template)
    # "'ametijuhend_cli.document.resolve.DocumentView object' has no attribute 'x'": name the
    # variable the template author wrote
    error = re.sub(
        r"'(?:\w+\.)*(\w+) object'",
        lambda m: repr(_VARIABLES.get(m.group(1), m.group(1))),
        str(exc),
    )
    message: Message = verbatim(error)
    hint = msg(
        "the variables a template can use are listed in the README (Restyling and rewording)"
    )
    if isinstance(exc, TemplateLimitError):
        message = exc.reason
    elif isinstance(exc, MemoryError):
        message = msg("the template needs too much memory")
    elif isinstance(exc, jinja2.TemplateNotFound):
        message = msg("template {name} not found", name=excerpt(str(exc.name or "")))
        hint = msg("a template includes only templates of the template folders, by a relative name")
    if isinstance(exc, (TemplateLimitError, MemoryError)):
        hint = msg(
            "a template lays out the data: one render may take {seconds} seconds, {steps} loop "
            "steps and calls, and make texts of {chars} characters",
            seconds=f"{sandbox.SECONDS:g}",
            steps=f"{sandbox.MAX_STEPS:,}",
            chars=f"{sandbox.MAX_CHARS:,}",
        )
    elif isinstance(exc, SecurityError):
        hint = msg(
            "project templates run in a sandbox: they print the variables listed in the README, "
            "and cannot reach Python, files or the environment"
        )
    return Problem(
        path=path,
        line=line,
        message=msg("{message} ({doing})", message=message, doing=doing),
        hint=hint,
    )


def render_template(
    templates: TemplateSet, name: str, doing: Message, *, scale: float = 1.0, **values: Any
) -> str:
    """Return the template ``name`` rendered with ``values``, tidied; raise a located
    TemplateError (the report and the notices use it; a document, MarkdownRenderer)."""
    try:
        template = environment(templates).get_template(name)
    except jinja2.TemplateSyntaxError as exc:
        where = display_path(Path(exc.filename)) if exc.filename else str(exc.name)
        raise TemplateError(
            Problem(
                path=where,
                line=exc.lineno,
                message=msg("template syntax error: {message}", message=str(exc.message)),
            )
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(msg("template '{name}' not found", name=str(exc.name))) from None
    try:
        text = render(template, scale=scale, **values)
    except RecursionError as exc:
        problem = dataclasses.replace(
            template_problem(exc, template, doing),
            message=msg("the template calls itself without end ({doing})", doing=doing),
            hint=msg("a macro that calls itself needs a condition that stops it"),
        )
        raise TemplateError(problem) from None
    except RENDER_ERRORS as exc:
        raise TemplateError(template_problem(exc, template, doing)) from None
    return _BLANK_LINES.sub("\n\n", text).strip() + "\n"
