"""A new agency's first day with every layout family's documents: the layout learnt, the words back.

Each family of tests/layouts/<layout>/ (h-layout's projects, documents in our
own words) and the sample agency (standard: the reference texts and the DOCX of
the sample positions) are imported as a new agency would, with `init
--from-docx`: the project must learn the layout that made the document (the
built-in one, or a layout of its own that extends it), and the document built
from the imported position must read back as the source, word for word
(tests/wordmatch.py, >= 0.97). Sources: the DOCX the tool builds and the text
as extracted from it; each also cut at a random point after its first task (a
document that stops in the middle). The office checks add the DOCX LibreOffice
saves again and the PDF's text (pdftotext -layout and -raw).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml
from lxml import etree

from ametijuhend_cli.importer.columns import uncolumn
from ametijuhend_cli.importer.extract import read_document
from ametijuhend_cli.importer.outline import split_sections
from ametijuhend_cli.importer.run import lexicon_for
from ametijuhend_cli.sources.templates import TemplateSet
from conftest import POSITIONS, REPO, run, start_project, working_folder
from officetools import pdftotext, require, soffice
from wordmatch import ratio

FAMILIES_DIR = REPO / "tests" / "layouts"
FAMILIES = sorted(p.name for p in FAMILIES_DIR.iterdir() if (p / "ametijuhend.yaml").is_file())
MIN_RATIO = 0.97
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def agency_of(project: Path) -> str:
    """Return the agency of a project (its organization.yaml)."""
    data = yaml.safe_load((project / "data" / "organization.yaml").read_text("utf-8"))
    return str(data["agency"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return the DOCX of every family's position and of the sample positions, built once."""
    folder = tmp_path_factory.mktemp("built")
    out: dict[str, Path] = {}
    for name in FAMILIES:
        root = folder / name
        shutil.copytree(FAMILIES_DIR / name, root)
        with working_folder(root):
            assert run("build", "--format", "docx").exit_code == 0
        (out[name],) = (root / "out").glob("*.docx")
    root = folder / "standard"
    shutil.copytree(REPO / "data", root / "data")
    with working_folder(root):
        assert run("build", "--format", "docx").exit_code == 0
    for pid in POSITIONS:
        out[f"standard/{pid}"] = root / "out" / f"{pid}.docx"
    return out


def first_day(folder: Path, agency: str, *sources: Path) -> tuple[Path, str]:
    """Start a project in ``folder`` from ``sources``, build it; return it and init's report."""
    return folder, start_project(folder, agency, *sources).stdout


def learnt_layout(project: Path) -> tuple[str, str]:
    """Return the project's layout and the built-in layout it is (or extends)."""
    name = yaml.safe_load((project / "ametijuhend.yaml").read_text("utf-8"))["layout"]
    own = project / "templates" / "layouts" / f"{name}.yaml"
    if own.is_file():
        return name, yaml.safe_load(own.read_text("utf-8"))["extends"]
    return name, name


def read_back(project: Path, source: Path) -> float:
    """Return the word fidelity of the one position built in ``project`` to ``source``."""
    (docx,) = (project / "out").glob("*.docx")
    return ratio(docx, source)


def first_task(source: Path) -> str:
    """Return the first words of the first item of a document's tasks (its number left out)."""
    layouts = TemplateSet.for_project(None).layouts
    lexicon = lexicon_for(layouts, layouts.get("standard"))
    tasks = split_sections(read_document(source), lexicon).sections["tasks"]
    text = re.sub(r"^\d+(?:\.\d+)*\.?\s*", "", tasks.items[0].text)
    return " ".join(text.split()[:3])


def cut_text(source: Path, target: Path, rng: random.Random) -> Path:
    """Write ``source`` cut at a random line after its first task's; return ``target``."""
    lines = source.read_text("utf-8").split("\n")
    start = first_task(source)
    at = next(i for i, line in enumerate(lines) if start in " ".join(line.split()))
    target.write_text("\n".join(lines[: rng.randint(at + 2, len(lines))]) + "\n", "utf-8")
    return target


def _text(element: etree._Element) -> str:
    return "".join(t for t in element.itertext() if isinstance(t, str))


def cut_docx(source: Path, target: Path, rng: random.Random) -> Path:
    """Write ``source`` cut at a random point after its first task: after a paragraph, a table
    or a table's row; return ``target``."""
    with zipfile.ZipFile(source) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    body = root.find(f"{_W}body")
    assert body is not None
    children = [c for c in body if c.tag != f"{_W}sectPr"]
    start = first_task(source)
    at = next(i for i, c in enumerate(children) if start in " ".join(_text(c).split()))
    points: list[tuple[int, int | None]] = []
    for i, child in enumerate(children[at:], at):
        if child.tag == f"{_W}tbl" and i == at:
            points += [(i, r) for r in range(2, len(child.findall(f"{_W}tr")))]
        points.append((i, None))
    index, kept = rng.choice(points)
    for child in children[index + 1 :]:
        body.remove(child)
    if kept is not None:
        for row in children[index].findall(f"{_W}tr")[kept:]:
            children[index].remove(row)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def sources(built: dict[str, Path], family: str) -> dict[str, Path]:
    """Return a family's sources by kind: its DOCX and its text."""
    if family == "standard":
        pid = "teenusejuht-kov"
        return {"docx": built[f"standard/{pid}"], "txt": REPO / "tests/reference" / f"{pid}.txt"}
    return {"docx": built[family], "txt": FAMILIES_DIR / family / "reference.txt"}


def agency(family: str) -> str:
    return agency_of(REPO if family == "standard" else FAMILIES_DIR / family)


def check(
    tmp_path: Path, family: str, source: Path, reference: Path | None = None
) -> tuple[str, float]:
    """Return the layout a first day learns from ``source`` and the words read back."""
    project, _ = first_day(tmp_path / "project", agency(family), source)
    name, base = learnt_layout(project)
    assert base == family, f"learnt {name} (extends {base}), not {family}"
    return name, read_back(project, reference or source)


@pytest.mark.parametrize("kind", ["docx", "txt"])
@pytest.mark.parametrize("family", [*FAMILIES, "standard"])
def test_a_family_document_teaches_its_layout_and_reads_back(
    built: dict[str, Path], tmp_path: Path, family: str, kind: str
) -> None:
    source = sources(built, family)[kind]
    _, fidelity = check(tmp_path, family, source)
    assert fidelity >= MIN_RATIO


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["docx", "txt"])
@pytest.mark.parametrize("family", [*FAMILIES, "standard"])
def test_a_document_cut_at_a_random_point(
    built: dict[str, Path], tmp_path: Path, family: str, kind: str
) -> None:
    rng = random.Random(f"{family}-{kind}")
    source = sources(built, family)[kind]
    cut = (cut_docx if kind == "docx" else cut_text)(source, tmp_path / f"cut.{kind}", rng)
    _, fidelity = check(tmp_path, family, cut)
    assert fidelity >= MIN_RATIO


def test_the_majority_decides_and_the_others_are_named(
    built: dict[str, Path], tmp_path: Path
) -> None:
    text = (FAMILIES_DIR / "amet" / "reference.txt").read_text("utf-8")
    other = tmp_path / "unnumbered.txt"  # the same document, its sections not numbered
    other.write_text(re.sub(r"(?m)^\d\. (?=[A-ZÕÄÖÜ]{3})", "", text), "utf-8")
    sources = [built["amet"], FAMILIES_DIR / "amet" / "reference.txt", other]
    project, report = first_day(tmp_path / "p", agency("amet"), *sources)
    assert learnt_layout(project) == ("amet", "amet")
    lines = report.splitlines()
    assert lines[lines.index(next(x for x in lines if x.startswith("learnt"))) :][:2] == [
        "learnt the layout of the documents from 3 documents: the built-in layout 'amet' "
        "fits 69 of 69 features",
        "    numbering.sections: '{n}.' (2 of 3); otherwise: '' in ../unnumbered.txt",
    ]
    for path in (project / "out").glob("*.docx"):
        assert ratio(path, FAMILIES_DIR / "amet" / "reference.txt") >= MIN_RATIO


def test_a_document_of_another_layout_keeps_its_own(built: dict[str, Path], tmp_path: Path) -> None:
    other = FAMILIES_DIR / "ministeerium" / "reference.txt"
    project, report = first_day(
        tmp_path / "p",
        agency("amet"),
        built["amet"],
        FAMILIES_DIR / "amet" / "reference.txt",
        other,
    )
    assert learnt_layout(project) == ("amet", "amet")
    assert "reads as a document of the layout 'ministeerium'" in report
    own = [
        p for p in (project / "data" / "positions").glob("*.yaml")
        if yaml.safe_load(p.read_text("utf-8")).get("layout") == "ministeerium"
    ]  # fmt: skip
    assert len(own) == 1
    assert ratio(project / "out" / f"{own[0].stem}.docx", other) >= MIN_RATIO


def test_the_sample_agency_first_day_learns_its_own_layout(
    built: dict[str, Path], tmp_path: Path
) -> None:
    texts = [REPO / "tests" / "reference" / f"{pid}.txt" for pid in POSITIONS]
    project, report = first_day(tmp_path / "p", agency("standard"), *texts)
    _, base = learnt_layout(project)
    assert base == "standard", report
    with working_folder(project):
        assert run("validate").exit_code == 0
    for path in texts:
        imported = next(
            line.split(" → ")[1]
            for line in report.splitlines()
            if line.startswith("imported") and path.name in line
        )
        pid = Path(imported).stem
        assert ratio(project / "out" / f"{pid}.docx", path) >= MIN_RATIO, pid


# ---------------------------------------------------------------------------
# the office checks: the DOCX LibreOffice saves, the PDF's text


@pytest.fixture(scope="module")
def office(built: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Return, by family and kind, the DOCX saved by LibreOffice and the PDF's texts."""
    require("soffice", "pdftotext")
    folder = tmp_path_factory.mktemp("office")
    docx = {family: sources(built, family)["docx"] for family in [*FAMILIES, "standard"]}
    for family, path in docx.items():
        shutil.copy(path, folder / f"{family}.docx")
    names = [f"{family}.docx" for family in docx]
    soffice(["--convert-to", "pdf", "--outdir", "pdf", *names], folder)
    soffice(["--convert-to", "docx:MS Word 2007 XML", "--outdir", "saved", *names], folder)
    out: dict[str, Path] = {}
    for family in docx:
        out[f"{family}/resaved"] = folder / "saved" / f"{family}.docx"
        for mode in ("layout", "raw"):
            text = folder / f"{family}.{mode}.txt"
            pdf = folder / "pdf" / f"{family}.pdf"
            text.write_text(pdftotext(pdf, mode), encoding="utf-8")
            out[f"{family}/{mode}"] = text
    return out


def reading_order(text: Path, target: Path) -> Path:
    """Write the words of a text laid out in columns in reading order (cell by cell)."""
    lines = text.read_text("utf-8").replace("\f", "\n").split("\n")
    target.write_text("\n".join(line for _, line in uncolumn(lines)), "utf-8")
    return target


@pytest.mark.office
@pytest.mark.parametrize("cut", [False, True], ids=["whole", "cut"])
@pytest.mark.parametrize("kind", ["resaved", "layout", "raw"])
@pytest.mark.parametrize("family", [*FAMILIES, "standard"])
def test_office_forms_teach_the_layout_and_read_back(
    built: dict[str, Path],
    office: dict[str, Path],
    tmp_path: Path,
    family: str,
    kind: str,
    cut: bool,
) -> None:
    source = office[f"{family}/{kind}"]
    # a whole document reads back as the DOCX its PDF was made of; a cut one as its own
    # words (those of text laid out in columns in reading order: its cells side by side)
    reference = sources(built, family)["docx"]
    if cut:
        rng = random.Random(f"{family}-{kind}")
        cutter = cut_docx if kind == "resaved" else cut_text
        source = reference = cutter(source, tmp_path / f"cut{source.suffix}", rng)
        if kind == "layout":
            reference = reading_order(source, tmp_path / "reading-order.txt")
    _, fidelity = check(tmp_path, family, source, reference)
    assert fidelity >= MIN_RATIO


# ---------------------------------------------------------------------------
# the mutation corpus across layouts: each family's text varied as agencies vary theirs

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_SECTION_NUMBER = re.compile(r"^(\d{1,2}|[IVX]{1,5})(\.?)(?=\s|[^\W\d_])")


def _renumber(heading: str, n: int) -> str:
    """Return a section heading numbered ``n`` in the style of its own number."""
    m = _SECTION_NUMBER.match(heading)
    if m is None:
        return heading
    number = _ROMAN[n - 1] if m.group(1).isalpha() else str(n)
    return number + m.group(2) + heading[m.end() :]


def family_variants(source: Path) -> list[tuple[str, str]]:
    """Return variants of a family's text: each section dropped (the rest renumbered), two
    neighbours swapped, the numbers moved on by one, the headings without their numbers."""
    lines = source.read_text("utf-8").split("\n")
    layouts = TemplateSet.for_project(None).layouts
    outline = split_sections(read_document(source), lexicon_for(layouts, layouts.get("standard")))
    sections = outline.ordered()
    starts = [s.start.number - 1 for s in sections]
    end = outline.signatures[0].number - 1 if outline.signatures else len(lines)
    bounds = list(zip(starts, [*starts[1:], end], strict=True))
    front, tail = lines[: starts[0]], lines[end:]
    parts = [lines[a:b] for a, b in bounds]

    def text(chosen: list[list[str]], renumber: bool = True) -> str:
        body = []
        for n, part in enumerate(chosen, 1):
            head = _renumber(part[0], n) if renumber else part[0]
            body += [head, *part[1:]]
        return "\n".join([*front, *body, *tail]) + "\n"

    out = []
    for i, section in enumerate(sections):
        if section.key not in ("general", "tasks"):
            out.append((f"drop-{section.key}", text(parts[:i] + parts[i + 1 :])))
    for i in range(1, len(parts) - 1):
        swapped = list(parts)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        out.append((f"swap-{sections[i].key}-{sections[i + 1].key}", text(swapped)))
    numbers = [s.number for s in sections if s.number]
    if numbers and numbers[0].isdigit():  # (Roman numbers are words: the layout's own count)
        moved = [[_renumber(p[0], n + 1), *p[1:]] for n, p in enumerate(parts, 1)]
        out.append(("renumbered", text(moved, renumber=False)))
    if numbers:
        bare = [[_SECTION_NUMBER.sub("", p[0]).strip(), *p[1:]] for p in parts]
        out.append(("unnumbered", text(bare, renumber=False)))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_the_mutation_corpus_across_layouts(tmp_path: Path, family: str) -> None:
    project = tmp_path / "project"
    shutil.copytree(FAMILIES_DIR / family, project)
    for path in (project / "data" / "positions").glob("*.yaml"):
        path.unlink()
    layouts = project / "templates" / "layouts"
    layouts.mkdir(parents=True)
    (layouts / "korpus.yaml").write_text(
        f"extends: {family}\npolicy: {{preset: none, require: []}}\n", "utf-8"
    )
    (project / "ametijuhend.yaml").write_text("layout: korpus\n", "utf-8")
    variants = family_variants(FAMILIES_DIR / family / "reference.txt")
    assert len(variants) >= 5
    failed = []
    with working_folder(project):
        for name, body in variants:
            source = tmp_path / f"{name}.txt"
            source.write_text(body, "utf-8")
            made = run("import", str(source), "-o", "data/positions/v.yaml", "--force")
            built = run("build", "v", "--format", "docx") if made.exit_code == 0 else made
            if built.exit_code != 0:
                failed.append(f"{name}: {built.stderr.strip()}")
                continue
            fidelity = ratio(project / "out" / "v.docx", source)
            if fidelity < MIN_RATIO:
                failed.append(f"{name}: {fidelity:.4f}")
    assert not failed, "\n".join(failed)


# ---------------------------------------------------------------------------
# what real documents do, in documents of our own


#: (name, the text, what the position must hold)
WRITTEN = [
    (
        "labels-only",  # no headings: the general part's labels, then "Tööülesanded:"
        """SIHTASUTUS METSAPUU
RAAMATUPIDAJA AMETIJUHEND

Struktuuriüksuse nimetus: Finantsosakond
Ametinimetus: Raamatupidaja
Vahetu juht: Finantsjuht
Asendaja: Pearaamatupidaja
Eesmärk: Sihtasutuse raamatupidamise korrektne ja õigeaegne pidamine.

Tööülesanded:
- Arvete kontrollimine ja kirjendamine.
- Palgaarvestuse ettevalmistamine.
- Aastaaruande koostamisel osalemine.

Õigused:
- saada juhatuselt tööks vajalikku teavet;
- osaleda erialastel koolitustel.
""",
        {"title": "Raamatupidaja", "purpose": "Sihtasutuse raamatupidamise korrektne ja "
         "õigeaegne pidamine."},
    ),
    (
        "pdf-order",  # Roman numbers, values after all labels, run-in points, nested, twice 3.2
        """Lisa 2

AMETIJUHEND

I ÜLDSÄTTED
1.1. Teenistuskoha nimetus
1.2. Struktuuriüksus
1.3. Vahetu juht
Analüütik
Strateegiaosakond
Osakonna juhataja
II TEENISTUSKOHA EESMÄRK 2.1. Otsuste ettevalmistamine andmete põhjal.
2.2. Andmete kvaliteedi hoidmine ameti registrites.
III TEENISTUSÜLESANDED
3.1. Analüüside koostamine, sealhulgas:
3.1.1. andmete kogumine;
3.1.2. järelduste vormistamine.
3.2. Aruannete koostamine
3.2. Ettekannete tegemine juhtkonnale
IV ÕIGUSED
4.1. Saada teistelt osakondadelt tööks vajalikke andmeid.
4.2. Osaleda töörühmades oma valdkonna piires.

(allkirjastatud digitaalselt)
""",
        {"title": "Analüütik", "manager": "Osakonna juhataja", "annex": 2},
    ),
    (
        "prose",  # no space after the number, prose lines, purpose in the heading's sentence
        """VÄIKEKÜLA VALLAVALITSUS
SEKRETÄR-ASJAAJAJA AMETIJUHEND

1.Üldsätted
1.1 Sekretär-asjaajaja on vallavalitsuse töötaja, kes allub vallasekretärile.
1.2 Töötaja võetakse tööle ja vabastatakse töölt vallavanema käskkirjaga.
2. Töökoha eesmärk on vallavalitsuse asjaajamise sujuv korraldamine.
3. Tööülesanded
3.1. Kirjavahetuse registreerimine dokumendiregistris.
3.2. Vallavalitsuse istungite protokollimine.
4. Vastutus
Töötaja vastutab:
- dokumentide säilimise eest;
- isikuandmete kaitse eest.

Olen ametijuhendiga tutvunud ja kohustun seda järgima.
Nimi:
Kuupäev:
Allkiri:
""",
        {"title": "Sekretär-asjaajaja",
         "purpose": "Töökoha eesmärk on vallavalitsuse asjaajamise sujuv korraldamine."},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("name", "text", "expected"), WRITTEN, ids=[w[0] for w in WRITTEN])
def test_what_real_documents_do(
    tmp_path: Path, name: str, text: str, expected: dict[str, object]
) -> None:
    source = tmp_path / f"{name}.txt"
    source.write_text(text, "utf-8")
    project, _ = first_day(tmp_path / "p", "Agentuur", source)
    (position,) = (project / "data" / "positions").glob("*.yaml")
    data = yaml.safe_load(position.read_text("utf-8"))
    assert {key: data.get(key) for key in expected} == expected
    assert read_back(project, source) >= MIN_RATIO
