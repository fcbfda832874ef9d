"""The Markdown read by a real CommonMark parser (markdown-it-py): every text reads as itself."""

from __future__ import annotations

import dataclasses
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.document.view import DocumentView, Field, Signatory, TaskView
from ametijuhend_cli.render.markdown import MarkdownRenderer, escape_markdown
from ametijuhend_cli.sources.paths import find_project
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import POSITIONS, REPO

BASE = Path(__file__).resolve().parent / "corpus-base"
# CommonMark with the two extensions GitHub and GitLab render: tables, ~~strike~~
PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def plain(inline: Token) -> str | None:
    """Return the text of an inline token, or None if any of it became markup."""
    out = []
    for child in inline.children or []:
        if child.type == "text":
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif child.type in ("strong_open", "strong_close", "em_open", "em_close"):
            continue  # the template's own **labels:** (data that became emphasis loses its *)
        else:
            return None
    return "".join(out)


def blocks(markdown: str) -> dict[str, list[str]]:
    """Return the plain texts of the document by the kind of block that holds them."""
    tokens = PARSER.parse(markdown)
    out: dict[str, list[str]] = {}
    stack: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            stack.append(token.type.removesuffix("_open"))
        elif token.nesting == -1:
            stack.pop()
        elif token.type == "inline":
            text = plain(token)
            kind = next(
                (k for k in reversed(stack) if k in ("list_item", "heading", "td", "th")),
                stack[-1] if stack else "",
            )
            out.setdefault(kind, []).append("\0markup" if text is None else text)
    return out


def test_parser_reads_the_openings_that_used_to_turn_into_lists() -> None:
    # what the escaping is for: unescaped, these are an ordered list and strike-through
    assert PARSER.render("2025. aasta lõpuks").startswith('<ol start="2025">')
    assert "<s>" in PARSER.render("~~vana~~")
    for text in ("1. jaanuarist", "2025. aasta lõpuks", "~~vana~~ uus", "3) kolmandaks"):
        assert blocks(escape_markdown(text)) == {"paragraph": [text]}
        assert blocks("- " + escape_markdown(text)) == {"list_item": [text]}


@pytest.mark.parametrize("position", POSITIONS)
def test_every_text_of_a_sample_reads_as_itself(position: str) -> None:
    checked = checked_project(find_project(REPO), views=True)
    templates, views = checked.templates, checked.views
    doc = views[position]
    md = MarkdownRenderer(templates).render(doc).decode("utf-8")
    found = blocks(md)
    assert doc.purpose in found["paragraph"]
    items = found["list_item"]
    expected_items = doc.rights + doc.responsibilities + doc.knowledge
    expected_items += [r for t in doc.tasks for r in t.results + t.subtasks]
    expected_items += [i for c in doc.core_competencies for i in c.indicators]
    assert [i for i in expected_items if i not in items] == []
    assert [f"{t.number} {t.text}" for t in doc.tasks] == [
        h for h in found["heading"] if h.startswith("3.") and h[2:3].isdigit()
    ]
    cells = found["td"] + found["th"]
    assert [f.value for row in doc.general for f in row if f.value not in cells] == []
    assert [c for c in doc.amendment if c not in found["paragraph"]] == []
    assert [k for k, texts in found.items() if "\0markup" in texts] == []


@cache
def base_view() -> tuple[TemplateSet, DocumentView]:
    checked = checked_project(find_project(BASE), views=True)
    templates, views = checked.templates, checked.views
    return templates, views["noustaja"]


#: Letters, digits and every character that has a meaning in Markdown.
ALPHABET = "aõZ019 .)(#>+-=*_`~[]<>|\\&;!:\"'\t/"


def source_texts() -> st.SearchStrategy[str]:
    """Return texts as validation leaves them: one line, single spaces, NFC."""
    # openings that mean something at the start of a line, which random
    # characters seldom hit
    openings = st.sampled_from(["", "", "1. ", "2025. ", "3) ", "12.", "~~", "- ", "# ", "> "])
    return (
        st.tuples(openings, st.text(alphabet=ALPHABET, max_size=24))
        .map(lambda t: " ".join(unicodedata.normalize("NFC", "".join(t)).split()))
        .filter(bool)
    )


@given(text=source_texts())
def test_random_texts_read_as_themselves_wherever_they_stand(text: str) -> None:
    templates, base = base_view()
    view = dataclasses.replace(
        base,
        purpose=text,
        general=[[Field(f.label, text) for f in row] for row in base.general],
        tasks=[TaskView("3.1", text, [text], [text])],
        rights=[text],
        amendment=[text, text],
        signatories=[Signatory("Tööandja:", text, [])],
    )
    md = MarkdownRenderer(templates).render(view).decode("utf-8")
    found = blocks(md)
    assert text in found["paragraph"], md
    assert found["list_item"].count(text) >= 3, md  # a result, a sub-task, a right
    assert f"3.1 {text}" in found["heading"], md
    assert found["td"].count(text) >= 1, md
    # the signatory's name follows a hard line break
    assert any(p.split("\n")[-1] == text for p in found["paragraph"]), md
