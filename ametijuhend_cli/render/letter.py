"""Render a letter or a directive written in Markdown (a template's output) as DOCX.

The Markdown is read as CommonMark (markdown-it-py): ``#`` is the title, ``##``
a heading, ``###`` a subheading, paragraphs, bullet lists (two levels), numbered
lists (their numbers as text), **bold**, *italic*, a line ending in ``\\``
going on in the same paragraph, and the inline tags <ins> and <del>, which
mark inserted words (underlined) and deleted words (struck through). A
comment ``<!-- style: KEY -->`` gives the next block a style of the reference
document by its key (normal, approval, signature, lead_in …) and
``<!-- align: right -->`` (or center) its alignment; ``<!-- page -->`` starts a
new page. Any other HTML is shown as text: values from the data are escaped
by the template's environment, so they never become markup. Links become
their text (no active content in a document meant for signing).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ametijuhend_cli.render.package import W_NS
from ametijuhend_cli.render.restyling import (
    Reference,
    app_properties,
    core_properties,
    reference_of,
    xml_text,
)
from ametijuhend_cli.sources.templates import TemplateSet

_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W = f"{{{W_NS}}}"
_HINT = re.compile(r"^<!--\s*(style|align)\s*:\s*([A-Za-z_]+)\s*-->\s*$|^<!--\s*(page)\s*-->\s*$")
_HEADINGS = {"h1": "title", "h2": "heading", "h3": "subheading"}
_ALIGN = {"right": "right", "center": "center", "left": "left"}
#: Run formatting of the inline tags.
_MARKS = {"ins": '<w:u w:val="single"/>', "del": "<w:strike/>", "em": "<w:i/>"}
_TAG = re.compile(r"^<(/?)(ins|del)>$")


@dataclass
class _Hints:
    """What a comment asked of the next block."""

    style: str = ""
    align: str = ""
    page: bool = False


@dataclass
class _Inline:
    """Turns the inline tokens of one block into runs."""

    ref: Reference
    marks: set[str] = field(default_factory=set)
    strong: int = 0

    def run(self, text: str, *, br: bool = False) -> str:
        rpr = ""
        if self.strong:
            rpr += f'<w:rStyle w:val="{self.ref.styles["strong"]}"/>'
        rpr += "".join(_MARKS[m] for m in ("em", "del", "ins") if m in self.marks)
        body = "<w:br/>" if br else f'<w:t xml:space="preserve">{xml_text(text)}</w:t>'
        return f"<w:r>{f'<w:rPr>{rpr}</w:rPr>' if rpr else ''}{body}</w:r>"

    def runs(self, tokens: list[Token]) -> str:
        out = []
        for token in tokens:
            kind = token.type
            if kind in ("text", "code_inline"):
                out.append(self.run(token.content))
            elif kind == "softbreak":
                out.append(self.run(" "))
            elif kind == "hardbreak":
                out.append(self.run("", br=True))
            elif kind in ("strong_open", "strong_close"):
                self.strong += 1 if kind == "strong_open" else -1
            elif kind in ("em_open", "em_close"):
                (self.marks.add if kind == "em_open" else self.marks.discard)("em")
            elif kind == "html_inline":
                out.append(self.tag(token.content))
            elif kind == "image":
                out.append(self.run(token.content))
        return "".join(out)

    def tag(self, html: str) -> str:
        found = _TAG.match(html.strip())
        if found is None:
            return self.run(html)  # any other HTML is text
        (self.marks.discard if found.group(1) else self.marks.add)(found.group(2))
        return ""


class _Blocks:
    """Walks the block tokens and writes WordprocessingML paragraphs."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.out: list[str] = []
        self.hints = _Hints()
        self.lists: list[list[int]] = []  # per open list: [ordered, next number]

    def paragraph(self, style: str, runs: str, *, keep: bool = False) -> None:
        hints, self.hints = self.hints, _Hints()
        if hints.style in self.ref.styles and style == "normal":
            style = hints.style
        ppr = f'<w:pStyle w:val="{self.ref.styles[style]}"/>'
        if keep or style in self.ref.keep_next:
            ppr += "<w:keepNext/>"
        if hints.page:
            ppr += "<w:pageBreakBefore/>"
        if style in ("bullet", "bullet2"):
            lst = self.ref.bullet if style == "bullet" else self.ref.bullet2
            deeper = max(0, len(self.lists) - 2)  # a third level: one level and step further in
            level = int(lst.level) + deeper if lst.level.isdigit() else 0
            ppr = (
                f'<w:pStyle w:val="{lst.style_id}"/><w:numPr><w:ilvl w:val="{level}"/>'
                f'<w:numId w:val="{lst.num_id}"/></w:numPr>' + self.indent(deeper)
            )
        if hints.align:
            ppr += f'<w:jc w:val="{hints.align}"/>'
        self.out.append(f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")

    def indent(self, deeper: int) -> str:
        """Return the indentation of a list item ``deeper`` levels below List Bullet 2."""
        if not deeper:
            return ""
        ind = self.ref.elements["bullet2"].find(f"{_W}pPr/{_W}ind")
        left = _twips(ind, "left", 714)
        hanging = _twips(ind, "hanging", 357) or 357
        return f'<w:ind w:left="{left + hanging * deeper}" w:hanging="{hanging}"/>'

    def hint(self, html: str) -> None:
        for line in html.strip().splitlines():
            found = _HINT.match(line.strip())
            if found is None:
                continue
            if found.group(3):
                self.hints.page = True
            elif found.group(1) == "style":
                self.hints.style = found.group(2)
            else:
                self.hints.align = _ALIGN.get(found.group(2), "")

    def inline(self, token: Token, style: str, *, keep: bool = False) -> None:
        runs = _Inline(self.ref).runs(token.children or [])
        if style == "normal" and self.lists:
            ordered, number = self.lists[-1]
            if ordered:  # 1., and under it 1.1.
                parents: list[str] = []
                for outer_ordered, outer_next in reversed(self.lists[:-1]):
                    if not outer_ordered:
                        break
                    parents.insert(0, str(outer_next - 1))
                label = ".".join([*parents, str(number)]) + ". "
                runs = _Inline(self.ref).run(label) + runs
                self.lists[-1][1] += 1
            else:
                style = "bullet" if len(self.lists) == 1 else "bullet2"
        self.paragraph(style, runs, keep=keep)

    def walk(self, tokens: list[Token]) -> None:
        style = "normal"
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                style = _HEADINGS.get(token.tag, "subheading")
            elif kind == "heading_close":
                style = "normal"
            elif kind == "inline":
                self.inline(token, style, keep=style != "normal")
            elif kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrs.get("start", 1) or 1)
                self.lists.append([kind == "ordered_list_open", start])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
            elif kind == "html_block":
                self.hint(token.content)
            elif kind in ("fence", "code_block"):
                for line in token.content.splitlines():
                    self.paragraph("normal", _Inline(self.ref).run(line))
            elif kind == "hr":
                self.hints.page = True


def _twips(ind: etree._Element | None, name: str, default: int) -> int:
    value = ind.get(f"{_W}{name}", "") if ind is not None else ""
    return int(value) if value.isdigit() and int(value) < 20_000 else default


class LetterRenderer:
    """Render Markdown letters and directives into DOCX styled by the reference document."""

    def __init__(self, templates: TemplateSet):
        self.reference = reference_of(templates)
        self.parser = MarkdownIt("commonmark", {"html": True})

    def document_xml(self, markdown: str) -> bytes:
        """Return word/document.xml of the Markdown ``markdown``."""
        blocks = _Blocks(self.reference)
        blocks.walk(self.parser.parse(markdown))
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W_NS}" xmlns:r="{_R_NS}"><w:body>'
            f"{''.join(blocks.out)}{self.reference.section}</w:body></w:document>"
        ).encode()

    def title(self, markdown: str) -> str:
        """Return the text of the first '# ' heading of ``markdown`` (the document's title)."""
        tokens = self.parser.parse(markdown)
        for i, token in enumerate(tokens[:-1]):
            if token.type == "heading_open" and token.tag == "h1":
                return "".join(c.content for c in tokens[i + 1].children or [] if c.type == "text")
        return ""

    def render(self, markdown: str, *, creator: str, date: dt.date | None) -> bytes:
        """Return the DOCX of ``markdown``; its title (the first '# ' heading), creator and
        date are the document's properties."""
        return self.reference.package.write(
            {
                "word/document.xml": self.document_xml(markdown),
                "docProps/core.xml": core_properties(self.title(markdown), creator, date),
                "docProps/app.xml": app_properties(creator),
            }
        )
