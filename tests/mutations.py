"""The mutation corpus: variants of real job descriptions that agencies produce.

From each reference text (tests/reference/*.txt, text extracted from a PDF)
and from each DOCX the tool builds of a sample position, derive the variants
an agency's documents show: a section dropped (each in turn), two neighbouring
sections swapped, the headings renumbered, un-numbered or in sentence case
without a dot, the signature block reduced to the digital-signature mark, the
named languages merged into one sentence, and a task's results written as one
paragraph instead of bullets. tests/test_mutations.py imports every variant,
builds it and compares the words with the variant's own text.

``python tests/mutations.py`` runs the whole corpus outside pytest and prints
how many variants import at word fidelity >= 0.97 and which are refused.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "reference"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"

#: Without these nothing can be read: a variant without one is refused. A variant
#: without another section (the purpose, the requirements) is imported as it is.
REQUIRED = ("general", "tasks")
KEYS_BY_HEADING = {
    "ÜLDOSA": "general",
    "AMETIKOHA EESMÄRK": "purpose",
    "TÖÖKOHA EESMÄRK": "purpose",
    "ÕIGUSED": "rights",
    "VASTUTUS": "responsibilities",
    "TÖÖVAHENDID": "work_tools",
    "AMETIKOHALE ESITATAVAD NÕUDED": "requirements",
    "TÖÖKOHALE ESITATAVAD NÕUDED": "requirements",
    "AMETIJUHENDI MUUTMINE": "amendment",
    "TEENISTUSÜLESANDED": "tasks",
    "TÖÖÜLESANDED": "tasks",
    "TEENISTUSKOHUSTUSED": "tasks",
    "TÖÖ- VÕI TEENISTUSÜLESANDED": "tasks",
}
SIGNED = "(allkirjastatud digitaalselt)"
_HEADING = re.compile(r"^(\d+)\.?\s+([A-ZÕÄÖÜŠŽ][A-ZÕÄÖÜŠŽ -]+?)\s*$")
_NAMED = re.compile(
    r"(?:(?:Valdab|Oskab) (?P<a>[a-zõäöü]+) keelt|(?P<b>[A-ZÕÄÖÜ][a-zõäöü]+) keele oskus)"
    r" vähemalt tasemel (?P<level>[ABC][12])\.[ \t]*"
)


@dataclass(frozen=True)
class Variant:
    """One mutated document: its name, the file type and its content."""

    name: str
    suffix: str  # ".txt" or ".docx"
    data: bytes
    #: why it cannot be imported, if it genuinely cannot ("" if it must import)
    unreadable: str = ""


def _key(heading: str) -> str:
    """Return the section a heading stands for; a heading of the agency's own is 'extra'."""
    return KEYS_BY_HEADING.get(heading.upper(), "extra")


def _merged_languages(text: str) -> str | None:
    """Return ``text`` with its named languages in one sentence, or None if there are none."""
    found = list(_NAMED.finditer(text))
    if not found:
        return None
    names = [(m["a"] or m["b"]).lower() for m in found]
    if len(names) < 2:
        names.append("vene" if "vene" not in names else "inglise")
    sentence = (
        "Valdab "
        + ", ".join(names[:-1])
        + " ja "
        + names[-1]
        + f" keelt vähemalt tasemel {found[0]['level']}. "
    )
    out = text[: found[0].start()] + sentence
    last = found[0].end()
    for m in found[1:]:
        out += text[last : m.start()]
        last = m.end()
    return out + text[last:]


# ---------------------------------------------------------------------------
# text files (extracted from PDF)


class _Text:
    """A reference text cut into front, sections and signature block."""

    def __init__(self, text: str):
        lines = text.split("\n")
        starts = [i for i, line in enumerate(lines) if _HEADING.match(line)]
        sig = next(
            i
            for i, line in enumerate(lines)
            if line.startswith(("Poolte allkirjad", "Tööandja:", SIGNED))
        )
        self.front = lines[: starts[0]]
        ends = [*starts[1:], sig]
        self.sections = [lines[a:b] for a, b in zip(starts, ends, strict=True)]
        self.signature = lines[sig:]

    def key(self, i: int) -> str:
        m = _HEADING.match(self.sections[i][0])
        assert m
        return _key(m.group(2))

    def text(self, sections: list[list[str]] | None = None, renumber: bool = True) -> str:
        sections = self.sections if sections is None else sections
        out = list(self.front)
        for n, section in enumerate(sections, 1):
            head = section[0]
            if renumber:
                head = _HEADING.sub(rf"{n}. \g<2>", head)
            out += [head, *section[1:]]
        return "\n".join(out + self.signature)

    def headings(self, change: Callable[[re.Match[str]], str]) -> str:
        sections = [[_HEADING.sub(change, s[0]), *s[1:]] for s in self.sections]
        return self.text(sections, renumber=False)


def _results_as_paragraph(text: str) -> str | None:
    """Return ``text`` with the results of its first task of several results on one line."""
    lines = text.split("\n")
    task = re.compile(r"^\d+\.\d+\.?\s")
    bullet = re.compile(r"^\s*[\uf000-\uf8ff•]\s*")
    for i, line in enumerate(lines):
        if not task.match(line):
            continue
        end = next((j for j in range(i + 1, len(lines)) if task.match(lines[j])), None)
        if end is None:
            return None
        marked = [j for j in range(i + 1, end) if bullet.match(lines[j])]
        if len(marked) < 2:
            continue
        first = marked[0]
        rest = [bullet.sub("", x).strip() for x in lines[first:end] if x.strip()]
        mark = bullet.match(lines[first])
        assert mark is not None
        joined = mark.group() + " ".join(x for x in rest if x)
        return "\n".join([*lines[:first], joined, "", *lines[end:]])
    return None


def text_variants(name: str, text: str) -> Iterator[Variant]:
    """Yield the variants of one reference text."""
    doc = _Text(text)

    def variant(kind: str, body: str, unreadable: str = "") -> Variant:
        return Variant(f"{name}.txt:{kind}", ".txt", body.encode("utf-8"), unreadable)

    for i in range(len(doc.sections)):
        key = doc.key(i)
        kept = doc.sections[:i] + doc.sections[i + 1 :]
        why = f"without {key} the document is no job description" if key in REQUIRED else ""
        yield variant(f"drop-{key}", doc.text(kept), why)
    for i in range(1, len(doc.sections) - 1):
        swapped = list(doc.sections)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        yield variant(f"swap-{doc.key(i)}-{doc.key(i + 1)}", doc.text(swapped))
    yield variant("unnumbered", doc.headings(lambda m: m.group(2)))
    yield variant("renumbered", doc.headings(lambda m: f"{int(m.group(1)) + 1}. {m.group(2)}"))
    yield variant(
        "sentence-case", doc.headings(lambda m: f"{m.group(1)} {m.group(2).capitalize()}")
    )
    yield variant(
        "unnamed-signature", "\n".join([*doc.text().split("\n")[: -len(doc.signature)], SIGNED, ""])
    )
    merged = _merged_languages(text)
    if merged is not None:
        yield variant("languages-merged", merged)
    paragraph = _results_as_paragraph(text)
    if paragraph is not None:
        yield variant("results-paragraph", paragraph)


# ---------------------------------------------------------------------------
# DOCX files the tool builds


def _style(p: etree._Element) -> str:
    style = p.find(f"{W}pPr/{W}pStyle")
    return str(style.get(f"{W}val")) if style is not None else ""


def _text_of(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def _set_text(p: etree._Element, text: str) -> None:
    runs = list(p.iter(f"{W}t"))
    runs[0].text = text
    for t in runs[1:]:
        t.text = ""


class _Docx:
    """A DOCX built by the tool, cut into its sections by the Heading 1 paragraphs."""

    def __init__(self, data: bytes):
        self.data = data
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.root = etree.fromstring(z.read("word/document.xml"))

    def body(self, root: etree._Element) -> list[etree._Element]:
        return list(root.find(f"{W}body"))  # type: ignore[arg-type]

    def parts(self, root: etree._Element) -> tuple[list[int], int]:
        """Return the indexes of the section headings and of the signature block's start."""
        children = self.body(root)
        heads = [i for i, el in enumerate(children) if _style(el) == "Heading1"]
        sig = next(
            i for i, el in enumerate(children) if _style(el) in ("Signature", "SignatureHeading")
        )
        # an empty paragraph before the signatures (older layouts) is not part of a section
        spacer = _style(children[sig - 1]) != "Heading1" and not _text_of(children[sig - 1])
        return heads, sig - 1 if spacer else sig

    def key(self, i: int) -> str:
        heads, _ = self.parts(self.root)
        heading = _text_of(self.body(self.root)[heads[i]]).split(" ", 1)[1]
        return _key(heading)

    def count(self) -> int:
        return len(self.parts(self.root)[0])

    def rebuilt(self, order: list[int], renumber: bool = True) -> etree._Element:
        """Return a copy of the document with its sections in ``order`` (some left out)."""
        root = copy.deepcopy(self.root)
        body = root.find(f"{W}body")
        assert body is not None
        children = list(body)
        heads, end = self.parts(root)
        bounds = [*heads, end]
        sections = [children[bounds[i] : bounds[i + 1]] for i in range(len(heads))]
        for el in children[heads[0] : end]:
            body.remove(el)
        at = heads[0]
        for n, i in enumerate(order, 1):
            section = sections[i]
            if renumber:
                heading = _text_of(section[0]).split(" ", 1)[1]
                _set_text(section[0], f"{n}. {heading}")
            for el in section:
                body.insert(at, el)
                at += 1
        return root

    def save(self, root: etree._Element) -> bytes:
        xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        out = io.BytesIO(b"")
        with zipfile.ZipFile(io.BytesIO(self.data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                content = xml if info.filename == "word/document.xml" else src.read(info)
                dst.writestr(info, content)
        return out.getvalue()


def _docx_headings(doc: _Docx, change: Callable[[str, str], str]) -> etree._Element:
    root = copy.deepcopy(doc.root)
    for el in root.iter(f"{W}p"):
        if _style(el) == "Heading1":
            number, heading = _text_of(el).split(" ", 1)
            _set_text(el, change(number.rstrip("."), heading))
    return root


def _docx_unnamed(doc: _Docx) -> etree._Element:
    root = copy.deepcopy(doc.root)
    body = root.find(f"{W}body")
    assert body is not None
    children = list(body)
    _, end = doc.parts(root)
    last = children[-1]  # sectPr
    signature = next(el for el in children if _style(el) in ("Signature", "SignatureHeading"))
    for el in children[end + 1 : -1]:
        body.remove(el)
    mark = copy.deepcopy(signature)
    for r in list(mark):
        if r.tag == f"{W}r":
            mark.remove(r)
    run = etree.SubElement(mark, f"{W}r")
    etree.SubElement(run, f"{W}t").text = SIGNED
    last.addprevious(mark)
    return root


def _docx_languages(doc: _Docx) -> etree._Element | None:
    root = copy.deepcopy(doc.root)
    for p in root.iter(f"{W}p"):
        merged = _merged_languages(_text_of(p))
        if merged is not None:
            _set_text(p, merged.strip())
            return root
    return None


def _docx_results_paragraph(doc: _Docx) -> etree._Element | None:
    """Return the document with the first task's results of several bullets as one paragraph."""
    root = copy.deepcopy(doc.root)
    for row in root.iter(f"{W}tr"):
        cells = row.findall(f"{W}tc")
        if len(cells) != 2:
            continue
        bullets = [p for p in cells[1].findall(f"{W}p") if _style(p) == "ListBullet"]
        if len(bullets) < 2 or len(bullets) != len(cells[1].findall(f"{W}p")):
            continue
        text = " ".join(_text_of(p) for p in bullets)
        first = bullets[0]
        ppr = first.find(f"{W}pPr")
        assert ppr is not None
        for child in list(ppr):
            ppr.remove(child)
        etree.SubElement(ppr, f"{W}pStyle").set(f"{W}val", "TableText")
        _set_text(first, text)
        for p in bullets[1:]:
            cells[1].remove(p)
        return root
    return None


def docx_variants(name: str, data: bytes) -> Iterator[Variant]:
    """Yield the variants of one DOCX the tool built."""
    doc = _Docx(data)
    n = doc.count()

    def variant(kind: str, root: etree._Element | None, unreadable: str = "") -> Iterator[Variant]:
        if root is not None:
            yield Variant(f"{name}.docx:{kind}", ".docx", doc.save(root), unreadable)

    for i in range(n):
        key = doc.key(i)
        why = f"without {key} the document is no job description" if key in REQUIRED else ""
        yield from variant(f"drop-{key}", doc.rebuilt([j for j in range(n) if j != i]), why)
    for i in range(1, n - 1):
        order = list(range(n))
        order[i], order[i + 1] = order[i + 1], order[i]
        yield from variant(f"swap-{doc.key(i)}-{doc.key(i + 1)}", doc.rebuilt(order))
    yield from variant("unnumbered", _docx_headings(doc, lambda num, h: h))
    yield from variant("renumbered", _docx_headings(doc, lambda num, h: f"{int(num) + 1}. {h}"))
    yield from variant(
        "sentence-case", _docx_headings(doc, lambda num, h: f"{num} {h.capitalize()}")
    )
    yield from variant("unnamed-signature", _docx_unnamed(doc))
    yield from variant("languages-merged", _docx_languages(doc))
    yield from variant("results-paragraph", _docx_results_paragraph(doc))


def reference_variants() -> Iterator[Variant]:
    """Yield the variants of every reference text."""
    for path in sorted(REFERENCE.glob("*.txt")):
        yield from text_variants(path.stem, path.read_text(encoding="utf-8"))


if __name__ == "__main__":  # pragma: no cover - the report for people
    import sys

    sys.path.insert(0, str(HERE))
    from test_mutations import run_corpus

    run_corpus(verbose=True)
