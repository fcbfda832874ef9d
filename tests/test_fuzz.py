"""Property-based fuzzing: random sources end in a document or in the project's own error.

The loader gets random text, random bytes and random YAML documents; the
whole pipeline (load, resolve, Markdown, DOCX) gets random edits of a valid
position and random values in its fields; the renderers get random Unicode
text. Nothing may raise anything but DataError/AmetijuhendError, and every
DOCX produced must open with python-docx with every XML part well-formed.

The number of examples comes from the Hypothesis profile (tests/conftest.py):
``ci`` (the default) keeps ``make test`` quick; run
``pytest tests/test_fuzz.py --hypothesis-profile=fuzz`` for a long search.
"""

from __future__ import annotations

import dataclasses
import io
import json
import shutil
import unicodedata
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from lxml import etree

from ametijuhend_cli.checking.engine import checked_project
from ametijuhend_cli.document.view import CompetencyView, DocumentView, Field, Signatory, TaskView
from ametijuhend_cli.errors import AmetijuhendError, DataError
from ametijuhend_cli.messages import BIDI_CONTROLS
from ametijuhend_cli.render.docx import DocxRenderer
from ametijuhend_cli.render.markdown import MarkdownRenderer, escape_markdown
from ametijuhend_cli.sources.paths import find_project
from ametijuhend_cli.sources.templates import TemplateSet
from ametijuhend_cli.sources.yamlsource import load_bytes, load_text

BASE = Path(__file__).resolve().parent / "corpus-base"
POSITION = "data/positions/noustaja.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BASE_TEXT = (BASE / POSITION).read_text(encoding="utf-8")

# Values YAML can hold; no NaN, which is not equal to itself.
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)


@st.composite
def yaml_documents(draw: st.DrawFn) -> str:
    """Return a random value written in one of YAML's styles."""
    value = draw(values)
    return yaml.safe_dump(
        value,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        allow_unicode=draw(st.booleans()),
        width=draw(st.sampled_from([20, 80, 10_000])),
        indent=draw(st.sampled_from([2, 4])),
        explicit_start=draw(st.booleans()),
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Return a copy of the corpus base project, shared by the examples of this module."""
    root = tmp_path_factory.mktemp("fuzz") / "project"
    shutil.copytree(BASE, root)
    yield root


@cache
def renderers() -> tuple[MarkdownRenderer, DocxRenderer]:
    templates = TemplateSet.for_project(None)
    return MarkdownRenderer(templates), DocxRenderer(templates)


def check_docx(data: bytes) -> list[str]:
    """Return the text of every paragraph (tables included) of a DOCX that must open.

    It must open with python-docx and every XML part must be well-formed.
    """
    document = docx.Document(io.BytesIO(data))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))
    return [
        "".join(t.text or "" for t in p.iter(f"{W}t")) for p in document.element.body.iter(f"{W}p")
    ]


#: Characters XML 1.0 can hold (an oracle independent of the renderer's own rule).
def xml_char(c: str) -> bool:
    n = ord(c)
    return c in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or n >= 0x10000


def build_in_memory(root: Path, source: bytes) -> list[tuple[str, list[str]]]:
    """Return the Markdown and the DOCX paragraphs built with ``source`` as the position.

    Only the project's own errors may stop it (the result is then empty).
    """
    (root / POSITION).write_bytes(source)
    built = []
    try:
        views = checked_project(find_project(root), views=True).views
        markdown, word = renderers()
        for view in views.values():
            paragraphs = check_docx(word.render(view))
            built.append((markdown.render(view).decode("utf-8"), paragraphs))
    except AmetijuhendError:
        built = []
    if currently_in_test_context():  # --hypothesis-show-statistics shows how often
        event("built" if built else "refused with the project's own error")
    return built


def test_the_base_position_builds(project: Path) -> None:
    # the properties below are only worth something if the unchanged source builds
    assert len(build_in_memory(project, BASE_TEXT.encode())) == 1


#: The loader is fast: it gets more examples than the whole pipeline.
MORE = settings(max_examples=settings().max_examples * 5)


@MORE
@given(st.text())
def test_loader_on_random_text(text: str) -> None:
    try:
        load_text(text, "x.yaml")
    except DataError as exc:
        assert exc.problems and all(p.path == "x.yaml" for p in exc.problems)


@MORE
@given(st.binary())
def test_loader_on_random_bytes(data: bytes) -> None:
    try:
        load_bytes(data, "x.yaml")
    except DataError as exc:
        assert exc.problems


def _deliberate(message: str) -> str:
    """Return which of the loader's deliberate refusals ``message`` is."""
    if message.startswith("the key ") and " starts with " in message:
        return "a key starting with a space YAML does not take for one"
    return message.split(" U+")[0]


@pytest.mark.no_cover  # a sweep: not traced in make test (see conftest.py)
@pytest.mark.slow
@MORE
@given(yaml_documents())
def test_loader_reads_yaml_documents_as_pyyaml_does(text: str) -> None:
    # where a document uses none of the loader's deliberate differences, the
    # value must be exactly PyYAML's
    # (odd line breaks are read as breaks, direction characters refused)
    assume(not any(c in text for c in "\x85\u2028\u2029") and not BIDI_CONTROLS & set(text))
    try:
        value, _ = load_text(text, "x.yaml")
    except DataError as exc:
        # only characters YAML refuses in a file (the dumper writes them raw), and a key
        # that starts with a no-break space or the like (YAML takes it for a letter)
        assert {_deliberate(str(p.message)) for p in exc.problems} <= {
            "the file contains the control character",
            "a key starting with a space YAML does not take for one",
        }
        return
    assert value == yaml.load(text, Loader=yaml.SafeLoader)


#: What a person's slip puts into a YAML file.
YAML_MARKS = ["\t", ": ", "- ", "'", '"', "[", "{", "*", "&", "!", "#", "%", "@", "|", ">", "\n  "]


@st.composite
def edited_sources(draw: st.DrawFn) -> bytes:
    """Return the valid position with a few random edits, as a person might make."""
    text = BASE_TEXT
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]))
        if action == "insert":
            text = text[:at] + draw(st.text(min_size=1, max_size=8)) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 30)) :]
        elif action == "replace":
            text = text[:at] + draw(st.sampled_from(YAML_MARKS)) + text[at + 1 :]
        else:
            lines = text.splitlines(keepends=True)
            i = min(at, len(lines) - 1)
            text = "".join(lines[: i + 1] + lines[i:])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1257"]))
    return text.encode(encoding, errors="replace")


@given(source=edited_sources())
def test_pipeline_on_edited_positions(project: Path, source: bytes) -> None:
    built = build_in_memory(project, source)
    # refused with the project's own error, or one whole document in each format
    assert len(built) <= 1
    for markdown, paragraphs in built:
        assert markdown.startswith("# AMETIJUHEND\n\n## 1. ")
        assert markdown.endswith("\n") and "\n\n\n" not in markdown
        assert "AMETIJUHEND" in paragraphs


@st.composite
def changed_fields(draw: st.DrawFn) -> bytes:
    """Return the valid position with random values put at random places in it."""
    data: Any = yaml.safe_load(BASE_TEXT)
    for _ in range(draw(st.integers(1, 3))):
        node = data
        while isinstance(node, (dict, list)) and node and draw(st.booleans()):
            key = draw(
                st.sampled_from(sorted(node) if isinstance(node, dict) else range(len(node)))
            )
            if not isinstance(node[key], (dict, list)):
                break
            node = node[key]
        if isinstance(node, dict) and node:
            node[draw(st.sampled_from(sorted(node)))] = draw(values)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(values)
    return yaml.safe_dump(data, allow_unicode=True).encode()


@given(source=changed_fields())
def test_pipeline_on_random_field_values(project: Path, source: bytes) -> None:
    build_in_memory(project, source)


@given(text=st.text())
def test_pipeline_on_random_text_in_a_field(project: Path, text: str) -> None:
    # a JSON string is a YAML double-quoted scalar
    source = BASE_TEXT.replace("Nõu on antud.", json.dumps(text, ensure_ascii=False))
    built = build_in_memory(project, source.encode("utf-8"))
    if built:  # the text was accepted: it is in both documents, folded into one line
        md, paragraphs = built[0]
        folded = " ".join(unicodedata.normalize("NFC", text).split())
        assert f"- {escape_markdown(folded)}\n" in md
        assert folded in paragraphs


@cache
def base_view() -> DocumentView:
    views = checked_project(find_project(BASE), views=True).views
    return views["noustaja"]


@given(texts=st.lists(st.text(), min_size=12, max_size=12))
def test_renderers_on_random_unicode_text(texts: list[str]) -> None:
    # the renderers get any text, even what validation would refuse
    # (control characters): the output must still be a valid document
    view = dataclasses.replace(
        base_view(),
        title=texts[0],
        agency=texts[1],
        unit=texts[2],
        purpose=texts[3],
        general=[[Field(texts[4], texts[5]) for _ in row] for row in base_view().general],
        tasks=[TaskView("3.1", texts[6], [texts[7]], [texts[8]])],
        rights=[texts[9]],
        core_competencies=[CompetencyView(texts[10], [texts[11]])],
        signatories=[Signatory(texts[0], texts[1], [texts[2]])],
    )
    markdown, word = renderers()
    md = markdown.render(view).decode("utf-8")
    if not any(c in texts[3] for c in "\r\n"):
        assert escape_markdown(texts[3]).strip() in md
    paragraphs = check_docx(word.render(view))
    # what XML cannot hold is dropped; an XML parser reads a CR as a line feed
    kept = "".join(c for c in texts[3] if xml_char(c))
    assert kept.replace("\r\n", "\n").replace("\r", "\n") in paragraphs
